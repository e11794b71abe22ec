import type {
  AccountRef,
  ParseResult,
  Pacs008Account,
  Pacs008Agent,
  Pacs008Document,
  Pacs008Party,
  Pacs008Transaction,
  TransferAccepted,
} from '@scamflow/contracts';
import { bankTransferIdOf } from '@scamflow/contracts';
import {
  accountKeyOf,
  toCanonicalTransfer,
  type MappingLimits,
  type SourceCoordinates,
} from './canonical-transfer.mapper';

type GroupHeader = Pacs008Document['Document']['FIToFICstmrCdtTrf']['GrpHdr'];

/**
 * Institution id of an agent: the BIC without its branch code (accounts are held by the institution, and the
 * JSON feed names banks by 8-character BIC too, so both feeds meet on the same account keys), else its
 * clearing-system member id.
 */
const institutionOf = ({ FinInstnId: id }: Pacs008Agent): string =>
  id.BICFI !== undefined ? id.BICFI.slice(0, 8) : (id.ClrSysMmbId?.MmbId ?? '');

const toAccountRef = (
  role: 'Dbtr' | 'Cdtr',
  party: Pacs008Party,
  account: Pacs008Account,
  agent: Pacs008Agent,
): ParseResult<AccountRef> => {
  // Characters 5-6 of a BIC are its ISO 3166 country; the postal address is the fallback.
  const country = agent.FinInstnId.BICFI?.slice(4, 6) ?? party.PstlAdr?.Ctry;
  if (country === undefined) {
    return {
      ok: false,
      reason: `${role}: no country (${role}Agt has no BICFI and ${role}/PstlAdr/Ctry is missing)`,
    };
  }
  const institutionId = institutionOf(agent);
  const accountId = account.Id.IBAN ?? account.Id.Othr?.Id ?? '';
  // party.Nm is deliberately not copied: names are personal data; the account identifies the party.
  return {
    ok: true,
    value: { accountKey: accountKeyOf(institutionId, accountId), accountId, institutionId, country },
  };
};

/**
 * Canonical id of one transaction, stable across replays of the message: `bank:<agent>:<reference>`.
 * The reference is the most durable one present, and is namespaced by the agent that assigned it:
 * - UETR, else TxId: assigned once at the start of the interbank chain and passed on unchanged, so they are
 *   namespaced by the debtor agent. Every hop of a serial payment (each reported by a different instructing
 *   agent) then yields the same id, and one customer payment is one edge in the graph, not one per hop.
 * - else `<MsgId>|<EndToEndId>`: MsgId is unique only per sender, so it is namespaced by the instructing agent
 *   (the transaction's, else the group header's), falling back to the debtor agent. `|` cannot occur in an
 *   identifier, so the pair is unambiguous.
 */
const transferIdOf = (header: GroupHeader, tx: Pacs008Transaction): string => {
  const chainReference = tx.PmtId.UETR ?? tx.PmtId.TxId;
  if (chainReference !== undefined) return bankTransferIdOf(institutionOf(tx.DbtrAgt), chainReference);
  const sender = tx.InstgAgt ?? header.InstgAgt ?? tx.DbtrAgt;
  return bankTransferIdOf(institutionOf(sender), `${header.MsgId}|${tx.PmtId.EndToEndId}`);
};

/** Acceptance time if the bank sent it, else the settlement date at 00:00 UTC, else when the message was created. */
const bookedAtOf = (header: GroupHeader, tx: Pacs008Transaction): string =>
  tx.AccptncDtTm ?? (tx.IntrBkSttlmDt !== undefined ? `${tx.IntrBkSttlmDt}T00:00:00Z` : header.CreDtTm);

const mapTransaction = (
  header: GroupHeader,
  tx: Pacs008Transaction,
  source: SourceCoordinates,
  limits: MappingLimits,
  now: Date,
): ParseResult<TransferAccepted> => {
  const debtor = toAccountRef('Dbtr', tx.Dbtr, tx.DbtrAcct, tx.DbtrAgt);
  if (!debtor.ok) return debtor;
  const creditor = toAccountRef('Cdtr', tx.Cdtr, tx.CdtrAcct, tx.CdtrAgt);
  if (!creditor.ok) return creditor;
  return toCanonicalTransfer(
    {
      transferId: transferIdOf(header, tx),
      reportedBy: institutionOf(tx.InstgAgt ?? header.InstgAgt ?? tx.DbtrAgt),
      bookedAt: bookedAtOf(header, tx),
      amount: { value: tx.IntrBkSttlmAmt['#text'], currency: tx.IntrBkSttlmAmt['@Ccy'] },
      debtor: debtor.value,
      creditor: creditor.value,
      endToEndId: tx.PmtId.EndToEndId,
      uetr: tx.PmtId.UETR,
    },
    source,
    limits,
    now,
  );
};

/**
 * Maps a validated pacs.008 into one canonical transfer per `CdtTrfTxInf`, all or nothing: if any transaction
 * is refused, the whole message is refused with every failing transaction named by its position (1-based) and
 * EndToEndId. A bank then corrects and resends the message as it was, instead of working out which half of it
 * got through; a resend of the corrected message is idempotent for the transactions it repeats.
 */
export const mapPacs008 = (
  document: Pacs008Document,
  source: SourceCoordinates,
  limits: MappingLimits,
  now: Date,
): ParseResult<TransferAccepted[]> => {
  const { GrpHdr: header, CdtTrfTxInf: transactions } = document.Document.FIToFICstmrCdtTrf;
  const count = transactions.length;
  if (header.NbOfTxs !== undefined && Number(header.NbOfTxs) !== count) {
    return {
      ok: false,
      reason: `GrpHdr/NbOfTxs is ${header.NbOfTxs} but the message holds ${count} transactions`,
    };
  }

  const transfers: TransferAccepted[] = [];
  const failures: string[] = [];
  const positionById = new Map<string, number>();
  transactions.forEach((tx, index) => {
    const label = `transaction ${index + 1} of ${count} (EndToEndId ${tx.PmtId.EndToEndId})`;
    const mapped = mapTransaction(header, tx, source, limits, now);
    if (!mapped.ok) {
      failures.push(`${label}: ${mapped.reason}`);
      return;
    }
    const earlier = positionById.get(mapped.value.transferId);
    if (earlier !== undefined) {
      failures.push(
        `${label}: same identity as transaction ${earlier} (${mapped.value.transferId}); give each a UETR or TxId`,
      );
      return;
    }
    positionById.set(mapped.value.transferId, index + 1);
    transfers.push(mapped.value);
  });
  if (failures.length > 0) return { ok: false, reason: failures.join('; ') };
  return { ok: true, value: transfers };
};

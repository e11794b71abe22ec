import { createHash } from 'node:crypto';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { MinorMoney } from '@scamflow/contracts';
import { currencyScale, formatMinor, toReferenceAmount } from '@scamflow/money';
import { chainOf, type FilingAccount, type FilingTransfer } from './filing-model';
import type { GoamlProfile } from './goaml-profile.schema';

interface GoamlReportBase {
  /** Our alert or case id (`entity_reference`). */
  readonly entityReference: string;
  readonly submittedAt: string;
  /** The narrative (`reason`). */
  readonly reason: string;
  /** Action taken or requested (`action`), e.g. the freeze requests. */
  readonly action?: string | undefined;
  /** Typologies behind the report; mapped to the FIU's indicator codes by the profile. */
  readonly typologies: readonly string[];
  readonly additionalInformation?: string | undefined;
}

/** An STR: the transfers that moved the money. */
export interface GoamlTransactionsReport extends GoamlReportBase {
  readonly kind: 'transactions';
  readonly transfers: readonly FilingTransfer[];
  /** Every account a transfer names, by key. */
  readonly accounts: ReadonlyMap<string, FilingAccount>;
}

/** A SAR: suspected parties without a single transaction (a mule account). */
export interface GoamlActivityReport extends GoamlReportBase {
  readonly kind: 'activity';
  readonly parties: readonly {
    readonly account: FilingAccount;
    /** 0..10, goAML's significance scale. */
    readonly significance: number;
    readonly reason: string;
    readonly comments?: string | undefined;
  }[];
}

export type GoamlReportInput = GoamlTransactionsReport | GoamlActivityReport;

/** A report that cannot be expressed with this profile (e.g. no reporting rate for a currency). */
export class GoamlExportError extends Error {}

/** goAML dates: `xs:dateTime` without an offset, written in UTC (the export says so in `additional_information`). */
export const goamlDate = (iso: string): string => new Date(iso).toISOString().slice(0, 19);

/** goAML limits transaction numbers to 50 characters; longer ids are hashed (the full id is in `comments`). */
export const transactionNumberOf = (transferId: string): string =>
  transferId.length <= 50
    ? transferId
    : `H${createHash('sha256').update(transferId).digest('hex').slice(0, 40)}`;

const leaf = (
  parent: XMLBuilder,
  name: string,
  value: string | number | boolean | undefined | null,
): void => {
  if (value === undefined || value === null || value === '') return;
  parent.ele(name).txt(String(value));
};

const isVirtual = (account: FilingAccount): boolean =>
  account.kind === 'wallet' || account.kind === 'vasp-account';

/** The asset code as the FIU's currency list has it. */
const currencyCodeOf = (code: string, profile: GoamlProfile): string => {
  if (/^[A-Z]{3}$/.test(code) && currencyScale(code) !== undefined) return code;
  return profile.virtualAssets.currencyCodes.includes(code)
    ? code
    : profile.virtualAssets.otherAssetCurrencyCode;
};

interface LocalAmount {
  readonly text: string;
  /** Set when the leg is in another currency than the local one. */
  readonly foreign?: { readonly code: string; readonly amount: string; readonly rate: string };
}

/** `amount_local` in the local currency's decimals, converted exactly at the profile's reporting rate. */
export const localAmountOf = (amount: MinorMoney, profile: GoamlProfile): LocalAmount => {
  const local = profile.currencyCodeLocal;
  const localScale = currencyScale(local);
  if (localScale === undefined)
    throw new GoamlExportError(`local currency ${local} is not an ISO 4217 currency`);
  if (amount.currency === local) {
    return { text: formatMinor(toReferenceAmount(amount, '1', localScale), localScale) };
  }
  const rate = profile.exchangeRates[amount.currency];
  if (rate === undefined) {
    throw new GoamlExportError(
      `profile ${profile.name} has no reporting rate for ${amount.currency} (exchangeRates.${amount.currency})`,
    );
  }
  return {
    text: formatMinor(toReferenceAmount(amount, rate, localScale), localScale),
    foreign: {
      code: currencyCodeOf(amount.currency, profile),
      amount: formatMinor(amount.amountMinor, amount.scale),
      rate,
    },
  };
};

/** `t_account`, common fields in schema order; virtual-asset legs per the VASP convention (docs). */
const writeAccount = (
  parent: XMLBuilder,
  name: string,
  account: FilingAccount,
  currency: string,
  profile: GoamlProfile,
): void => {
  const node = parent.ele(name);
  const unhosted = account.institutionId === 'unhosted';
  const virtual = isVirtual(account);
  const institutionName = unhosted
    ? profile.virtualAssets.selfHostedInstitutionName
    : (profile.institutionNames[account.institutionId] ?? account.institutionId);
  leaf(node, 'institution_name', institutionName);
  if (/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(account.institutionId))
    leaf(node, 'swift', account.institutionId);
  else leaf(node, 'institution_code', account.institutionId);
  leaf(node, 'institution_country', account.country === 'ZZ' ? undefined : account.country);
  if (virtual) leaf(node, 'non_bank_institution', true);
  leaf(node, 'account', account.accountId);
  leaf(node, 'currency_code', currencyCodeOf(currency, profile));
  leaf(node, 'account_type', profile.accountTypes[account.kind ?? 'bank-account']);
  leaf(node, 'opened', account.openedAt ? goamlDate(account.openedAt) : undefined);
  leaf(node, 'closed', account.closedAt ? goamlDate(account.closedAt) : undefined);
  leaf(node, 'status_code', profile.accountStatusCode);
  const chain = chainOf(account);
  const comments = [
    chain === undefined ? undefined : `chain ${chain}`,
    virtual ? `address or VASP account ${account.accountId}` : undefined,
    `account key ${account.accountKey}`,
  ].filter((line): line is string => line !== undefined);
  leaf(node, 'comments', comments.join('; '));
};

const accountOf = (accounts: ReadonlyMap<string, FilingAccount>, key: string): FilingAccount => {
  const account = accounts.get(key);
  if (account === undefined) throw new GoamlExportError(`no account details for ${key}`);
  return account;
};

const writeTransaction = (
  report: XMLBuilder,
  transfer: FilingTransfer,
  accounts: ReadonlyMap<string, FilingAccount>,
  profile: GoamlProfile,
): void => {
  const from = accountOf(accounts, transfer.fromKey);
  const to = accountOf(accounts, transfer.toKey);
  const rail = transfer.rail ?? 'bank';
  const local = localAmountOf(transfer.amount, profile);
  const tx = report.ele('transaction');
  leaf(tx, 'transactionnumber', transactionNumberOf(transfer.transferId));
  leaf(tx, 'internal_ref_number', transactionNumberOf(transfer.transferId));
  leaf(tx, 'transaction_location', profile.transactionLocation);
  leaf(
    tx,
    'transaction_description',
    `${rail} transfer of ${formatMinor(transfer.amount.amountMinor, transfer.amount.scale)} ${transfer.amount.currency}`,
  );
  leaf(tx, 'date_transaction', goamlDate(transfer.bookedAt));
  leaf(tx, 'late_deposit', false);
  leaf(tx, 'transmode_code', profile.transmodeCodes[rail]);
  leaf(tx, 'amount_local', local.text);
  const side = (direction: 'from' | 'to', account: FilingAccount) => {
    const party = tx.ele(`t_${direction}`);
    leaf(party, `${direction}_funds_code`, profile.fundsCodes[rail]);
    if (local.foreign) {
      const foreign = party.ele(`${direction}_foreign_currency`);
      leaf(foreign, 'foreign_currency_code', local.foreign.code);
      leaf(foreign, 'foreign_amount', local.foreign.amount);
      leaf(foreign, 'foreign_exchange_rate', local.foreign.rate);
    }
    writeAccount(party, `${direction}_account`, account, transfer.amount.currency, profile);
    leaf(party, `${direction}_country`, account.country);
  };
  side('from', from);
  side('to', to);
  const chain = chainOf(from) ?? chainOf(to);
  const comments = [
    `transfer id ${transfer.transferId}`,
    transfer.txHash ? `${chain ? `chain ${chain}, ` : ''}tx hash ${transfer.txHash}` : undefined,
    transfer.note,
  ].filter((line): line is string => line !== undefined);
  leaf(tx, 'comments', comments.join('; '));
};

const writeActivity = (report: XMLBuilder, input: GoamlActivityReport, profile: GoamlProfile): void => {
  const parties = report.ele('activity').ele('report_parties');
  for (const party of input.parties) {
    const node = parties.ele('report_party');
    writeAccount(node, 'account', party.account, profile.currencyCodeLocal, profile);
    leaf(node, 'significance', Math.max(0, Math.min(10, Math.round(party.significance))));
    leaf(node, 'reason', party.reason);
    leaf(node, 'comments', party.comments);
  }
};

/**
 * A goAML `<report>` (5.0.1 element order, see GOAML.md): STR with the transfers, or SAR with an activity.
 * Every lookup code comes from the profile; amounts are exact decimal text; text is escaped by xmlbuilder2
 * and characters XML cannot carry are replaced, so any input gives well-formed XML.
 */
export const buildGoamlReport = (input: GoamlReportInput, profile: GoamlProfile): string => {
  if (input.kind === 'transactions' && input.transfers.length === 0) {
    throw new GoamlExportError(`${input.entityReference} has no transactions to report`);
  }
  if (input.kind === 'activity' && input.parties.length === 0) {
    throw new GoamlExportError(`${input.entityReference} has no suspected party to report`);
  }
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const report = doc.ele('report');
  leaf(report, 'schema_version', profile.schemaVersion);
  leaf(report, 'rentity_id', profile.rentityId);
  leaf(report, 'rentity_branch', profile.rentityBranch);
  leaf(report, 'submission_code', profile.submissionCode);
  leaf(
    report,
    'report_code',
    input.kind === 'transactions' ? profile.reportCodes.transactions : profile.reportCodes.activity,
  );
  leaf(report, 'entity_reference', input.entityReference);
  leaf(report, 'submission_date', goamlDate(input.submittedAt));
  leaf(report, 'currency_code_local', profile.currencyCodeLocal);
  leaf(report, 'reporting_user_code', profile.reportingUserCode);
  const location = report.ele('location');
  leaf(location, 'address_type', profile.location.addressType);
  leaf(location, 'address', profile.location.address);
  leaf(location, 'city', profile.location.city);
  leaf(location, 'country_code', profile.location.countryCode);
  leaf(report, 'reason', input.reason);
  leaf(report, 'action', input.action);
  if (input.kind === 'transactions') {
    for (const transfer of input.transfers) writeTransaction(report, transfer, input.accounts, profile);
  } else {
    writeActivity(report, input, profile);
  }
  const indicators = report.ele('report_indicators');
  const codes = new Set(
    input.typologies.flatMap((typology) => profile.indicators[typology] ?? profile.indicators.default ?? []),
  );
  if (codes.size === 0) for (const code of profile.indicators.default ?? []) codes.add(code);
  for (const code of codes) leaf(indicators, 'indicator', code);
  leaf(
    report,
    'additional_information',
    [`Dates are UTC. Profile ${profile.name}.`, input.additionalInformation].filter(Boolean).join(' '),
  );
  return doc.end({ prettyPrint: true });
};

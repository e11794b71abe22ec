/**
 * Keys that join feeds in the graph and in Redis. Every feed that names an account or a transfer builds the key
 * here, so a fact, a report and a transfer about the same account meet on the same node.
 *
 * Parts are joined with `:`; a `%` or `:` inside a part is percent-encoded (`%25`, `%3A`), so distinct parts
 * never make one key (bank `A:B` + account `C` is `A%3AB:C`, bank `A` + account `B:C` is `A:B%3AC`). A part
 * without those characters is kept as it is: every key built before the encoding stays byte-identical.
 */

/** One part of a key, with `%` and `:` percent-encoded. */
export const escapeKeyPart = (part: string): string => part.replace(/%/g, '%25').replace(/:/g, '%3A');

/** The parts of a key built by `keyOf`, decoded. */
export const keyParts = (key: string): string[] =>
  key.split(':').map((part) => part.replace(/%3A/gi, ':').replace(/%25/g, '%'));

/** Joins parts into a key; distinct tuples of the same length never give one key. */
export const keyOf = (...parts: readonly string[]): string => parts.map(escapeKeyPart).join(':');

/** Globally unique account key: `<institutionId>:<accountId>`. */
export const accountKeyOf = (institutionId: string, accountId: string): string =>
  keyOf(institutionId, accountId);

/** Canonical id of a bank transfer: `bank:<reportedBy>:<producer transfer id>`. */
export const bankTransferIdOf = (reportedBy: string, transferId: string): string =>
  keyOf('bank', reportedBy, transferId);

/** Canonical id of a VASP ledger movement: `vasp:<reportedBy>:<movement id>`. */
export const vaspMovementIdOf = (reportedBy: string, movementId: string): string =>
  keyOf('vasp', reportedBy, movementId);

/** Canonical id of one token transfer on chain: `onchain:<chain>:<tx hash>:<log index>`. */
export const onChainTransferIdOf = (chain: string, txHash: string, logIndex: number): string =>
  keyOf('onchain', chain, txHash, String(logIndex));

/** Key of a wallet: `<chain>:<address>`. */
export const walletKeyOf = (chain: string, address: string): string => keyOf(chain, address);

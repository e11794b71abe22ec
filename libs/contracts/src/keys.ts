/**
 * Keys that join feeds in the graph. Every feed that names an account or a bank transfer builds the key here,
 * so a fact, a report and a transfer about the same account meet on the same node.
 */

/** Globally unique account key: `<institutionId>:<accountId>`. */
export const accountKeyOf = (institutionId: string, accountId: string): string =>
  `${institutionId}:${accountId}`;

/** Canonical id of a bank transfer: `bank:<reportedBy>:<producer transfer id>`. */
export const bankTransferIdOf = (reportedBy: string, transferId: string): string =>
  `bank:${reportedBy}:${transferId}`;

/**
 * Masks an identifier for people who may not see it (logs, other banks' customers): the institution prefix and
 * the last 4 characters stay, so an operator can still tell two masked accounts apart.
 */
export const maskIdentifier = (value: string): string => {
  const colon = value.indexOf(':');
  const prefix = colon > 0 ? value.slice(0, colon + 1) : '';
  const local = colon > 0 ? value.slice(colon + 1) : value;
  if (local.length <= 4) return `${prefix}****`;
  return `${prefix}****${local.slice(-4)}`;
};

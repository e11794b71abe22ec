import { ROLE_MATRIX, ROLES, type Role } from '@scamflow/contracts';

/** ROLE_MATRIX as the Markdown table docs/investigator-api.md shows (a spec keeps the two equal). */
export const renderRoleMatrixTable = (): string => {
  const header = `| Route | ${ROLES.join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = Object.entries(ROLE_MATRIX).map(
    ([route, allowed]) =>
      `| \`${route}\` | ${ROLES.map((role) => ((allowed as readonly Role[]).includes(role) ? '✔' : '—')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
};

import { ROLE_MATRIX } from './role-matrix';
import { ROLES, type Role } from './role';

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

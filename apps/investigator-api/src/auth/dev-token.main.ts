/**
 * `npm run token -- --role analyst --sub analyst-01 [--institution KASITHBK] [--expires-in 8h]`: prints a
 * development bearer token signed with the API's configured HS256 secret (the development default unless
 * API_JWT_SECRET is set). Deployments with RS256 get their tokens from their identity provider.
 */
import { parseArgs } from 'node:util';
import { loadInvestigatorApiConfig } from '../investigator-api.config';
import { mintToken, type MintTokenOptions } from './mint-token';
import { ROLES, type Role } from '@scamflow/contracts';

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const main = (): void => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      institution: { type: 'string' },
      'expires-in': { type: 'string', default: '8h' },
    },
  });
  const role = values.role ?? '';
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'bank' && !values.institution)
    throw new Error('a bank token needs --institution <institution id>');
  const config = loadInvestigatorApiConfig();
  if (!config.API_JWT_SECRET)
    throw new Error('API_JWT_SECRET is not set: RS256 deployments mint tokens elsewhere');
  const expiresIn = values['expires-in'] as MintTokenOptions['expiresIn'];
  console.log(
    mintToken(config.API_JWT_SECRET, {
      role,
      sub: values.sub ?? `${role}-01`,
      ...(values.institution ? { institutionId: values.institution } : {}),
      ...(expiresIn === undefined ? {} : { expiresIn }),
    }),
  );
};

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}

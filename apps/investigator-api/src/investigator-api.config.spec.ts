import { ConfigError } from '@scamflow/config';
import { DEV_JWT_SECRET, loadInvestigatorApiConfig } from './investigator-api.config';

describe(loadInvestigatorApiConfig.name, () => {
  it('signs with the development secret on a developer machine', () => {
    expect(loadInvestigatorApiConfig({}).API_JWT_SECRET).toBe(DEV_JWT_SECRET);
  });

  it('refuses to start in production without a secret or public key, naming the variable', () => {
    const load = () => loadInvestigatorApiConfig({ NODE_ENV: 'production' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/API_JWT_SECRET/);
  });

  it('takes an RS256 public key given on one line with \\n escapes, and no development secret beside it', () => {
    const config = loadInvestigatorApiConfig({
      NODE_ENV: 'production',
      API_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----',
    });
    expect(config.API_JWT_PUBLIC_KEY).toBe('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----');
    expect(config.API_JWT_SECRET).toBeUndefined();
  });
});

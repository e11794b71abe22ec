import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInvestigatorApiConfig } from '../investigator-api.config';
import { goamlProfileProvider } from './goaml-profile.provider';

const DEMO = JSON.parse(
  readFileSync(join(__dirname, '../../../../infra/goaml/profiles/demo.json'), 'utf8'),
) as Record<string, unknown>;

describe('goAML profile provider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goaml-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string>) =>
    goamlProfileProvider().useFactory(loadInvestigatorApiConfig({ NODE_ENV: 'test', ...env }));

  it('loads the demo profile when API_GOAML_PROFILE_FILE is not set', () => {
    expect(load({}).name).toBe('AMLO-TH-DEMO');
  });

  it("loads the FIU's own profile named by API_GOAML_PROFILE_FILE", () => {
    const file = join(dir, 'fiu-kh.json');
    writeFileSync(file, JSON.stringify({ ...DEMO, name: 'FIU-KH', currencyCodeLocal: 'KHR' }));

    expect(load({ API_GOAML_PROFILE_FILE: file })).toMatchObject({
      name: 'FIU-KH',
      currencyCodeLocal: 'KHR',
    });
  });

  it('stops the boot naming the file when it is missing, not JSON, or not a valid profile', () => {
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ "name": ');
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ ...DEMO, rentityId: 'R1' }));

    expect(() => load({ API_GOAML_PROFILE_FILE: join(dir, 'absent.json') })).toThrow(
      /absent\.json cannot be read/,
    );
    expect(() => load({ API_GOAML_PROFILE_FILE: notJson })).toThrow(/not-json\.json cannot be read as JSON/);
    expect(() => load({ API_GOAML_PROFILE_FILE: invalid })).toThrow(/invalid\.json is invalid: rentityId/);
  });
});

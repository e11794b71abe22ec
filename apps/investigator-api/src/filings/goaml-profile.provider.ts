import { readFileSync } from 'node:fs';
import { parseGoamlProfile, type GoamlProfile } from '@scamflow/filings';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';

export const GOAML_PROFILE = Symbol('GOAML_PROFILE');

/** Reads and validates the FIU profile file; the error names the file and every problem. */
export const loadGoamlProfileFile = (file: string): GoamlProfile => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`goAML profile ${file} cannot be read as JSON: ${String(error)}`);
  }
  return parseGoamlProfile(json, file);
};

/**
 * The FIU profile named by API_GOAML_PROFILE_FILE (default: the demo profile, infra/goaml/profiles/demo.json),
 * loaded and validated once at boot: a broken profile stops the API, it never yields a broken filing.
 */
export const goamlProfileProvider = () => ({
  provide: GOAML_PROFILE,
  inject: [INVESTIGATOR_API_CONFIG],
  useFactory: (config: InvestigatorApiConfig): GoamlProfile =>
    loadGoamlProfileFile(config.API_GOAML_PROFILE_FILE),
});

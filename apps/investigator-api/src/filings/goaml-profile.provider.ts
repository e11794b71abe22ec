import { join } from 'node:path';
import { loadGoamlProfile, type GoamlProfile } from '@scamflow/filings';

export const GOAML_PROFILE = Symbol('GOAML_PROFILE');

/** The demo FIU profile shipped with the repository (infra/goaml/profiles/demo.json). */
export const DEFAULT_GOAML_PROFILE_FILE = join(__dirname, '../../../../infra/goaml/profiles/demo.json');

/** Loaded and validated once at boot: a broken profile stops the API, it never yields a broken filing. */
export const goamlProfileProvider = (file: string = DEFAULT_GOAML_PROFILE_FILE) => ({
  provide: GOAML_PROFILE,
  useFactory: (): GoamlProfile => loadGoamlProfile(file),
});

import { SetMetadata } from '@nestjs/common';

export const NO_AUDIT_KEY = 'investigator-api:no-audit';

/** Routes that read or change no data (health, docs) append no audit entry. */
export const NoAudit = () => SetMetadata(NO_AUDIT_KEY, true);

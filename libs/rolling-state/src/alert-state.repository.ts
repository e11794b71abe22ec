import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { z } from 'zod';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';

/** What was last issued for one (typology, subject): the stable id, its version and a fingerprint of its content. */
export const IssuedAlertStateSchema = z.strictObject({
  alertId: z.string(),
  version: z.number().int().min(1),
  fingerprint: z.string(),
  evidenceCount: z.number().int().min(0),
});
export type IssuedAlertState = z.infer<typeof IssuedAlertStateSchema>;

export interface AlertSubjectRef {
  readonly typology: string;
  readonly subjectKey: string;
}

@Injectable()
export class AlertStateRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async read(subjects: readonly AlertSubjectRef[]): Promise<(IssuedAlertState | undefined)[]> {
    if (subjects.length === 0) return [];
    const values = await this.redis.mget(subjects.map((s) => redisKeys.alertState(s.typology, s.subjectKey)));
    return values.map((value) => {
      if (value === null) return undefined;
      const parsed = IssuedAlertStateSchema.safeParse(JSON.parse(value));
      // An unreadable state (older format) is treated as absent: the alert is re-issued, never lost.
      return parsed.success ? parsed.data : undefined;
    });
  }

  /** Records issued versions; called after publishing, so a crash in between re-publishes the same version. */
  async write(states: readonly (AlertSubjectRef & IssuedAlertState)[]): Promise<void> {
    if (states.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { typology, subjectKey, ...state } of states) {
      pipeline.set(
        redisKeys.alertState(typology, subjectKey),
        JSON.stringify(state),
        'EX',
        REDIS_TTL_SECONDS.alertState,
      );
    }
    await pipeline.exec();
  }
}

import { z } from 'zod';
import {
  DAILY_BATCH_PROFILE,
  DETECTION_PROFILES,
  INSTANT_PAYMENTS_PROFILE,
  detectionProfileNamed,
  type DetectionProfile,
} from './detection-profile';
import {
  detectionProfileEnvShape,
  detectionProfileSelectionOf,
  profileFor,
  profilesIn,
} from './profile-selection';

/** Every number named like a share or ratio below 1 must be a share: in [0, 1]. */
const shares = (profile: DetectionProfile): [string, number][] =>
  Object.entries(profile).flatMap(([section, values]) =>
    typeof values === 'object' && values !== null
      ? Object.entries(values as Record<string, unknown>)
          .filter(([key]) => /Share|Density|minKeptRatio|minPassThroughRatio|minReturnedRatio/.test(key))
          .map(([key, value]): [string, number] => [`${section}.${key}`, Number(value)])
      : [],
  );

describe('detection profiles', () => {
  it.each(Object.values(DETECTION_PROFILES))('$name keeps every share within [0, 1]', (profile) => {
    const found = shares(profile);
    expect(found.length).toBeGreaterThan(5);
    for (const [name, value] of found) {
      expect([name, value >= 0 && value <= 1]).toEqual([name, true]);
    }
  });

  it('daily-batch windows are at least a day wherever instant-payments counts minutes or hours', () => {
    const day = 24 * 60 * 60 * 1000;
    expect(DAILY_BATCH_PROFILE.fanIn.windowMs).toBeGreaterThanOrEqual(day);
    expect(DAILY_BATCH_PROFILE.fanInPassThrough.maxDwellMs).toBeGreaterThanOrEqual(day);
    expect(DAILY_BATCH_PROFILE.layeringChain.maxGapMs).toBeGreaterThanOrEqual(day);
    expect(INSTANT_PAYMENTS_PROFILE.fanInPassThrough.maxDwellMs).toBeLessThan(day);
  });

  it('refuses an unknown profile name, naming the known ones', () => {
    expect(() => detectionProfileNamed('weekly')).toThrow(/instant-payments, daily-batch/);
    expect(detectionProfileNamed('daily-batch')).toBe(DAILY_BATCH_PROFILE);
  });
});

describe('profile selection from the environment', () => {
  const schema = z.object(detectionProfileEnvShape);

  it('applies the default everywhere unless an institution is listed', () => {
    const selection = detectionProfileSelectionOf(
      schema.parse({
        DETECTION_PROFILE: 'instant-payments',
        DETECTION_PROFILE_BY_INSTITUTION: 'BATCHBANK:daily-batch',
      }),
    );
    expect(profileFor(selection, 'BATCHBANK').name).toBe('daily-batch');
    expect(profileFor(selection, 'KBANK').name).toBe('instant-payments');
    expect(profilesIn(selection).map((p) => p.name)).toEqual(['instant-payments', 'daily-batch']);
  });

  it('defaults to instant-payments with no override', () => {
    const selection = detectionProfileSelectionOf(schema.parse({}));
    expect(profileFor(selection, 'ANY').name).toBe('instant-payments');
    expect(selection.byInstitution.size).toBe(0);
  });

  it('rejects an unknown profile in the per-institution map', () => {
    expect(schema.safeParse({ DETECTION_PROFILE_BY_INSTITUTION: 'A:hourly' }).success).toBe(false);
  });
});

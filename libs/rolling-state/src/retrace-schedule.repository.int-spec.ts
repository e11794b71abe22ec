import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { testServers } from '../../../test/support/test-env';
import { createRedis } from './redis.module';
import { RetraceScheduleRepository } from './retrace-schedule.repository';

describe(RetraceScheduleRepository.name, () => {
  const timing = { settleMs: 2_000, maxDelayMs: 10_000 };
  const T0 = 1_780_000_000_000;
  let prefix: string;
  let redis: Redis;
  let sut: RetraceScheduleRepository;
  const late = (...caseIds: string[]) => new Map(caseIds.map((id) => [id, 'late']));

  beforeEach(() => {
    prefix = `retrace-schedule-spec-${randomUUID().slice(0, 8)}:`;
    redis = createRedis({ url: testServers().redisUrl, keyPrefix: prefix });
    sut = new RetraceScheduleRepository(redis);
  });

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
  });

  it('makes a case due a settle time after its latest request, never later than the maximum after the first', async () => {
    await sut.request(late('CASE-1'), T0, timing);
    await sut.request(new Map([['CASE-1', 'unit']]), T0 + 1_500, timing);

    expect(await sut.claimDue(T0 + 3_499, 60_000, 10)).toEqual([]);
    expect(await sut.pending(['CASE-1', 'CASE-2'])).toEqual(new Set(['CASE-1']));
    // Due 2 s after the second request; traced for it (another asset), not for the late transfer that came first.
    expect(await sut.claimDue(T0 + 3_500, 60_000, 10)).toEqual([
      { caseId: 'CASE-1', reason: 'unit', claim: T0 + 63_500 },
    ]);

    // Requests every second: due at the first + 10 s however many come.
    for (let s = 0; s <= 9; s += 1) await sut.request(late('CASE-2'), T0 + s * 1_000, timing);
    expect(await sut.claimDue(T0 + 9_999, 60_000, 10)).toEqual([]);
    expect((await sut.claimDue(T0 + 10_000, 60_000, 10)).map((c) => c.caseId)).toEqual(['CASE-2']);
  });

  it('lets a case asked for only by late transfers settle longer, and a victim’s payment cut that wait short', async () => {
    const withLate = { ...timing, late: { settleMs: 5_000, maxDelayMs: 30_000 } };
    await sut.request(late('CASE-L'), T0, withLate);
    await sut.request(late('CASE-L'), T0 + 4_000, withLate);
    await sut.request(late('CASE-P'), T0, withLate);

    expect(await sut.claimDue(T0 + 4_999, 60_000, 10)).toEqual([]);
    // CASE-P's victim payment is found: due 2 s after it, traced for it.
    await sut.request(new Map([['CASE-P', 'victim-payment']]), T0 + 5_000, withLate);
    expect(await sut.claimDue(T0 + 7_000, 60_000, 10)).toEqual([
      { caseId: 'CASE-P', reason: 'victim-payment', claim: T0 + 67_000 },
    ]);
    // CASE-L: 5 s after its latest request; late requests every 4 s end at its first + 30 s.
    expect((await sut.claimDue(T0 + 8_999, 60_000, 10)).map((c) => c.caseId)).toEqual([]);
    expect((await sut.claimDue(T0 + 9_000, 60_000, 10)).map((c) => c.caseId)).toEqual(['CASE-L']);
    for (let s = 0; s <= 32; s += 4) await sut.request(late('CASE-M'), T0 + s * 1_000, withLate);
    expect((await sut.claimDue(T0 + 29_999, 60_000, 10)).map((c) => c.caseId)).toEqual([]);
    expect((await sut.claimDue(T0 + 30_000, 60_000, 10)).map((c) => c.caseId)).toEqual(['CASE-M']);
  });

  it('leases a claimed case: nobody else takes it until the lease passes, unless its claim ends first', async () => {
    await sut.request(late('CASE-1', 'CASE-2'), T0, timing);
    const [first, second] = await sut.claimDue(T0 + 2_000, 60_000, 10);

    // Another instance, later within the lease, finds nothing due; past the lease, an unended claim is due again.
    expect(await sut.claimDue(T0 + 61_999, 60_000, 10)).toEqual([]);
    await sut.done([{ caseId: first!.caseId, claim: first!.claim }]);
    expect(await sut.claimDue(T0 + 62_000, 60_000, 10)).toEqual([
      { caseId: second!.caseId, reason: 'late', claim: T0 + 122_000 },
    ]);
    expect(await sut.pending(['CASE-1'])).toEqual(new Set());
    expect(await sut.size()).toBe(1);
  });

  it('keeps a case requested again while its claim ran, and ends any request for a case traced for its report', async () => {
    await sut.request(late('CASE-1', 'CASE-2'), T0, timing);
    const claimed = await sut.claimDue(T0 + 2_000, 60_000, 10);
    // A late transfer of CASE-1 committed after the trace read the graph: its request must survive the claim's end.
    await sut.request(late('CASE-1'), T0 + 2_500, timing);
    await sut.done(claimed.map(({ caseId, claim }) => ({ caseId, claim })));

    expect(await sut.pending(['CASE-1', 'CASE-2'])).toEqual(new Set(['CASE-1']));
    // Past the 10 s bound of its first request: due at once.
    expect((await sut.claimDue(T0 + 10_000, 60_000, 10)).map((c) => c.caseId)).toEqual(['CASE-1']);

    await sut.request(late('CASE-3'), T0, timing);
    await sut.done([{ caseId: 'CASE-3' }]);
    expect(await sut.pending(['CASE-3'])).toEqual(new Set());
  });

  it('claims at most the limit at once, the earliest due first', async () => {
    await sut.request(late('CASE-B'), T0 + 100, timing);
    await sut.request(late('CASE-A'), T0, timing);
    await sut.request(late('CASE-C'), T0 + 200, timing);

    expect((await sut.claimDue(T0 + 5_000, 60_000, 2)).map((c) => c.caseId)).toEqual(['CASE-A', 'CASE-B']);
    expect((await sut.claimDue(T0 + 5_000, 60_000, 2)).map((c) => c.caseId)).toEqual(['CASE-C']);
  });
});

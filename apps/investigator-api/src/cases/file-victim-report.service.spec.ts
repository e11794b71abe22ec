import { TOPICS, VictimReportFiledSchema } from '@scamflow/contracts';
import { ProblemException } from '../http/problem';
import { CaseIntakeSchema } from './case-intake.schema';
import { FileVictimReportService, type VictimReportSink } from './file-victim-report.service';

const setup = () => {
  const published: { topic: string; messages: readonly { key: string; value: string }[] }[] = [];
  const sink: VictimReportSink & { fail?: Error } = {
    publish: (topic, messages) => {
      if (sink.fail) return Promise.reject(sink.fail);
      published.push({ topic, messages });
      return Promise.resolve();
    },
  };
  return { sut: new FileVictimReportService(sink), mocks: { sink, published } };
};

const intake = (extra: Record<string, unknown> = {}) =>
  CaseIntakeSchema.parse({
    reportingChannel: 'hotline-1441',
    reportedAt: '2026-11-23T11:40:00+07:00',
    scamType: 'call-centre-impersonation',
    victimAccounts: [{ accountId: '1234567890', institutionId: 'KASITHBK', country: 'TH' }],
    reportedTransfers: [
      { amount: { value: '15000.00', currency: 'THB' }, paidAt: '2026-11-23T09:15:00+07:00' },
    ],
    ...extra,
  });

describe(FileVictimReportService.name, () => {
  it('assigns a case id and publishes one message the topic contract accepts, keyed by the case id', async () => {
    const { sut, mocks } = setup();

    const report = await sut.execute(intake(), new Date('2026-11-23T04:40:00Z'));

    expect(report.caseId).toMatch(/^CASE-API-20261123-[0-9a-f]{8}$/);
    expect(mocks.published).toHaveLength(1);
    expect(mocks.published[0]?.topic).toBe(TOPICS.victimReportFiled);
    const message = mocks.published[0]?.messages[0];
    expect(message?.key).toBe(report.caseId);
    const sent = VictimReportFiledSchema.parse(JSON.parse(message?.value ?? 'null'));
    expect(sent).toMatchObject({
      schemaVersion: 1,
      version: 1,
      caseId: report.caseId,
      scamType: 'call-centre-impersonation',
    });
  });

  it("keeps the hotline's own case id and version", async () => {
    const { sut } = setup();

    const report = await sut.execute(intake({ caseId: 'AOC-2026-0001234', version: 2 }));

    expect(report).toMatchObject({ caseId: 'AOC-2026-0001234', version: 2 });
  });

  it('answers 503 when Kafka does not take the report, so the operator retries', async () => {
    const { sut, mocks } = setup();
    mocks.sink.fail = new Error('broker down');

    await expect(sut.execute(intake())).rejects.toBeInstanceOf(ProblemException);
    await expect(sut.execute(intake())).rejects.toMatchObject({ status: 503 });
  });
});

describe('CaseIntakeSchema', () => {
  it('lists every field problem of a bad report at once', () => {
    const result = CaseIntakeSchema.safeParse({
      reportingChannel: 'fax',
      scamType: 'romance',
      victimAccounts: [],
      reportedTransfers: [{ amount: { value: 15000.5, currency: 'THB' } }],
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'reportedAt',
      'reportedTransfers.0.amount.value',
      'reportingChannel',
      'victimAccounts',
    ]);
  });
});

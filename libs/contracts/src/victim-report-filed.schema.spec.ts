import { goldenFixtures, itParsesGoldenFixtures } from './golden-fixtures.testing';
import { VictimReportFiledSchema } from './victim-report-filed.schema';

const { load, reasonFor } = goldenFixtures('victim-report-filed', VictimReportFiledSchema);

describe('VictimReportFiledSchema', () => {
  itParsesGoldenFixtures('victim-report-filed', VictimReportFiledSchema);

  it('names the reported transfer at fault', () => {
    expect(reasonFor(load('invalid-float-amount.json'))).toContain('reportedTransfers[0].amount.value');
    expect(reasonFor(load('invalid-empty-transfer.json'))).toMatch(
      /reference, an amount, or both[\s\S]*at reportedTransfers\[0\]/,
    );
  });

  it('refuses fields it does not know, so a typo is not silently ignored', () => {
    const report = { ...(load('valid-minimal.json') as object), scamTyp: 'romance' };
    expect(reasonFor(report)).toContain('scamTyp');
  });
});

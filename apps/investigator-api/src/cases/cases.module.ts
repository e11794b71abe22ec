import { Module } from '@nestjs/common';
import { InvestigationRepository } from '@scamflow/graph';
import { CasesController } from './cases.controller';
import { FileVictimReportService } from './file-victim-report.service';
import { LoadCaseFilingService } from './load-case-filing.service';

/** Cases: hotline intake, the case view and its freeze requests. */
@Module({
  controllers: [CasesController],
  providers: [InvestigationRepository, FileVictimReportService, LoadCaseFilingService],
  exports: [LoadCaseFilingService],
})
export class CasesModule {}

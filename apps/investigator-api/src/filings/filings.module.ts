import { Module } from '@nestjs/common';
import { InvestigationRepository } from '@scamflow/graph';
import { CasesModule } from '../cases/cases.module';
import { ExportGoamlService } from './export-goaml.service';
import { FilingsController } from './filings.controller';
import { goamlProfileProvider } from './goaml-profile.provider';

/** goAML exports of alerts and cases, with the FIU profile of infra/goaml/profiles. */
@Module({
  imports: [CasesModule],
  controllers: [FilingsController],
  providers: [InvestigationRepository, ExportGoamlService, goamlProfileProvider()],
})
export class FilingsModule {}

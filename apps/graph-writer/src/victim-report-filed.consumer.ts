import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { RecordVictimReportsService } from './record-victim-reports.service';

@Controller()
export class VictimReportFiledConsumer {
  constructor(
    @Inject(RecordVictimReportsService) private readonly recordReports: RecordVictimReportsService,
  ) {}

  @EventPattern(TOPICS.victimReportFiled)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.recordReports.execute(batch);
  }
}

import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { TraceVictimCasesService } from './trace-victim-cases.service';

@Controller()
export class GraphCommittedConsumer {
  constructor(@Inject(TraceVictimCasesService) private readonly traceVictimCases: TraceVictimCasesService) {}

  @EventPattern(TOPICS.graphCommitted)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.traceVictimCases.execute(batch);
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { FxRatePublishedSchema } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { FxRateRepository } from '@scamflow/rolling-state';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';

/** Validates a batch of reference FX rates and stores the valid ones; invalid ones go to the dead-letter topic. */
@Injectable()
export class RecordFxRatesService {
  private readonly logger = new Logger(RecordFxRatesService.name);

  constructor(
    @Inject(FxRateRepository) private readonly rates: FxRateRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(INGEST_GATEWAY_CONFIG) private readonly config: IngestGatewayConfig,
  ) {}

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      FxRatePublishedSchema,
      this.config.INGEST_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    await this.rates.record(
      parsed.map(({ value }) => ({
        base: value.base,
        quote: value.quote,
        rate: value.rate,
        validFrom: value.validFrom,
        source: value.source,
      })),
    );
    this.logger.debug(
      `${batch.topic}/${batch.partition}: recorded ${parsed.length} rates, dead-lettered ${rejected.length}`,
    );
  }
}

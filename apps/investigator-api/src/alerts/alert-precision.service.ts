import { Inject, Injectable } from '@nestjs/common';
import { precisionByTypology, type TypologyPrecision } from '@scamflow/evaluation';
import { AlertInboxRepository } from '@scamflow/graph';

/** Precision per typology from supervisors' dispositions of closed alerts. */
@Injectable()
export class AlertPrecisionService {
  constructor(@Inject(AlertInboxRepository) private readonly inbox: AlertInboxRepository) {}

  async execute(range: {
    from?: string;
    to?: string;
  }): Promise<{ closed: number; typologies: TypologyPrecision[] }> {
    const dispositions = await this.inbox.closedDispositions(range);
    return { closed: dispositions.length, typologies: precisionByTypology(dispositions) };
  }
}

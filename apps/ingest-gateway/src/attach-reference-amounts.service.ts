import { Inject, Injectable } from '@nestjs/common';
import type { TransferAccepted } from '@scamflow/contracts';
import { currencyScale } from '@scamflow/money';
import { FxRateRepository } from '@scamflow/rolling-state';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';
import { needsRate, withReferenceAmount, type ReferenceCurrency } from './reference-amount.mapper';

/**
 * Sets each canonical transfer's amount in the reference currency, with one pipelined Redis lookup per batch.
 * A Redis failure throws (transient: the batch is redone); a missing rate is recorded on the transfer.
 */
@Injectable()
export class AttachReferenceAmountsService {
  private readonly reference: ReferenceCurrency;

  constructor(
    @Inject(FxRateRepository) private readonly rates: FxRateRepository,
    @Inject(INGEST_GATEWAY_CONFIG) config: IngestGatewayConfig,
  ) {
    const code = config.FX_REFERENCE_CURRENCY;
    const scale = currencyScale(code);
    if (scale === undefined) throw new Error(`FX_REFERENCE_CURRENCY ${code} is not an ISO 4217 currency`);
    this.reference = { code, scale };
  }

  async execute(transfers: readonly TransferAccepted[]): Promise<TransferAccepted[]> {
    const lookedUp = transfers.filter((t) => needsRate(t, this.reference));
    const found = await this.rates.findRates(
      lookedUp.map((t) => ({
        base: t.amount.currency,
        quote: this.reference.code,
        atMs: new Date(t.bookedAt).getTime(),
      })),
    );
    const byTransfer = new Map(lookedUp.map((t, i) => [t, found[i]]));
    return transfers.map((t) => withReferenceAmount(t, this.reference, byTransfer.get(t)));
  }
}

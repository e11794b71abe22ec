import { Inject, Injectable } from '@nestjs/common';
import { INBOX_STATES } from '@scamflow/contracts';
import { AlertInboxRepository, type StoredAlert } from '@scamflow/graph';
import type { Principal } from '../auth/principal';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { filterOf } from './alert-access';
import { SORTS, decodeCursor, encodeCursor } from './alert-cursor';
import type { ListAlertsQuery } from './alerts.schema';

export interface AlertPage {
  readonly items: readonly StoredAlert[];
  readonly nextCursor: string | null;
  /** Alerts per inbox state under the same filters (the status filter aside). */
  readonly counts: Readonly<Record<string, number>>;
}

const sortValue = (alert: StoredAlert, key: string): string | number => {
  switch (key) {
    case 'severityRank':
      return { low: 1, medium: 2, high: 3, critical: 4 }[alert.alert.severity];
    case 'score':
      return alert.alert.score;
    default:
      return new Date(alert.alert.raisedAt).toISOString();
  }
};

/** The inbox, filtered, sorted, keyset-paged, with counts per state. */
@Injectable()
export class ListAlertsService {
  constructor(
    @Inject(AlertInboxRepository) private readonly inbox: AlertInboxRepository,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
  ) {}

  async execute(query: ListAlertsQuery, principal: Principal): Promise<AlertPage> {
    const sort = SORTS[query.sort] ?? { key: 'raisedAt' as const, descending: true };
    const filter = filterOf(query, principal);
    const limit = Math.min(query.limit ?? this.config.API_DEFAULT_PAGE_SIZE, this.config.API_MAX_PAGE_SIZE);
    const after = query.cursor ? decodeCursor(query.cursor, query.sort) : undefined;
    const { states: _states, ...countFilter } = filter;
    const [rows, counted] = await Promise.all([
      this.inbox.list({
        ...filter,
        sortKey: sort.key,
        descending: sort.descending,
        ...(after ? { after } : {}),
        limit: limit + 1,
      }),
      this.inbox.countByState(countFilter),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const counts = Object.fromEntries(INBOX_STATES.map((state) => [state, counted[state] ?? 0]));
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(query.sort, sortValue(last, sort.key), last.alertId)
          : null,
      counts,
    };
  }
}

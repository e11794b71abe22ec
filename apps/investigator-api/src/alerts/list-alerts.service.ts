import { Inject, Injectable } from '@nestjs/common';
import { INBOX_STATES } from '@scamflow/contracts';
import { AlertInboxRepository, listFieldsOf, type StoredAlertSummary } from '@scamflow/graph';
import type { Principal } from '../auth/principal';
import { visibleAlert } from './alert-presenter';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { filterOf } from './alert-access';
import { SORTS, decodeCursor, encodeCursor } from './alert-cursor';
import type { ListAlertsQuery } from './alerts.schema';

export interface AlertPage {
  /** The list fields as the caller may see them (a bank's view masked). */
  readonly items: readonly StoredAlertSummary[];
  /** Each item's subject account, unmasked: what the audit log records as disclosed. */
  readonly subjectKeys: readonly string[];
  readonly nextCursor: string | null;
  /** Alerts per inbox state under the same filters (the status filter aside). */
  readonly counts: Readonly<Record<string, number>>;
}

const sortValue = (alert: StoredAlertSummary, key: string): string | number => {
  switch (key) {
    case 'severityRank':
      return { low: 1, medium: 2, high: 3, critical: 4 }[alert.listed.severity];
    case 'score':
      return alert.listed.score;
    default:
      return new Date(alert.listed.raisedAt).toISOString();
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
    const pageQuery = {
      ...filter,
      sortKey: sort.key,
      descending: sort.descending,
      ...(after ? { after } : {}),
      limit: limit + 1,
    };
    // A bank's view is masked wherever other institutions' identifiers appear, which takes the whole alert.
    // The audit log records each row's subject account unmasked either way.
    const rows = async () =>
      principal.role === 'bank'
        ? (await this.inbox.list(pageQuery)).map(({ alert, ...lifecycle }) => ({
            item: { ...lifecycle, listed: listFieldsOf(visibleAlert(alert, principal)) },
            subjectKey: alert.subject.accountKey,
          }))
        : (await this.inbox.listSummaries(pageQuery)).map((item) => ({
            item,
            subjectKey: item.listed.subject.accountKey,
          }));
    const [listed, counted] = await Promise.all([rows(), this.inbox.countByState(countFilter)]);
    const page = listed.slice(0, limit);
    const last = page[page.length - 1]?.item;
    const counts = Object.fromEntries(INBOX_STATES.map((state) => [state, counted[state] ?? 0]));
    return {
      items: page.map((row) => row.item),
      subjectKeys: page.map((row) => row.subjectKey),
      nextCursor:
        listed.length > limit && last
          ? encodeCursor(query.sort, sortValue(last, sort.key), last.alertId)
          : null,
      counts,
    };
  }
}

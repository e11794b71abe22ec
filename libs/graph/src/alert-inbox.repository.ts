import { Inject, Injectable } from '@nestjs/common';
import neo4j, { type Driver } from 'neo4j-driver';
import type { AlertRaised } from '@scamflow/contracts';
import {
  ALERT_INBOX_HEAD,
  ALERT_VERSIONS_AFTER,
  CLOSED_ALERT_DISPOSITIONS,
  COUNT_NEW_ALERTS,
  EXISTING_ALERTS,
  EXISTING_ALERT_VERSIONS,
  GET_ALERT,
  INBOX_STATE_NAMES,
  LOCK_ALERT_INBOX_COUNTER,
  READ_INBOX_STATE_COUNTS,
  RECORD_ALERT_VERSIONS,
  RECOUNT_INBOX_STATES,
  SET_ALERT_INBOX_COUNTER,
  TRANSITION_ALERT,
  countAlertsByStateQuery,
  listAlertsQuery,
  type AlertQueryShape,
} from './alert-inbox.cypher';
import { numberOf } from './neo4j-values';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { readStatement } from './read-statement';

/** Inbox lifecycle state (separate from the detector's `status`). */
export type InboxState = 'new' | 'acknowledged' | 'assigned' | 'escalated' | 'closed';

/** The Alert node as stored: the latest version's JSON plus the inbox state. */
export interface StoredAlert {
  readonly alertId: string;
  readonly latestVersion: number;
  readonly alert: AlertRaised;
  readonly state: InboxState;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly streamSeq: number;
  readonly transitionCount: number;
  readonly stateChangedAt: string | null;
  readonly stateChangedBy: string | null;
  readonly assignee: string | null;
  readonly disposition: string | null;
  readonly dispositionReason: string | null;
  readonly duplicateOf: string | null;
  readonly strReference: string | null;
}

/**
 * What the inbox list shows of an alert. Kept beside the alert's JSON when a version is recorded, so a page of
 * the inbox reads a few hundred bytes per alert instead of parsing whole alerts (evidence, tracing ledgers).
 */
export type AlertListFields = Pick<
  AlertRaised,
  | 'typology'
  | 'severity'
  | 'score'
  | 'summary'
  | 'subject'
  | 'institutions'
  | 'jurisdictions'
  | 'raisedAt'
  | 'firstSeenAt'
  | 'lastSeenAt'
> & {
  /** Cases the alert concerns: its trigger's and those of the victims its tracing follows. */
  readonly caseIds: readonly string[];
};

/** An Alert node as the inbox list reads it: the lifecycle and the list fields, not the whole alert. */
export interface StoredAlertSummary extends Omit<StoredAlert, 'alert'> {
  readonly listed: AlertListFields;
}

export interface StoredAlertVersion {
  readonly version: number;
  readonly alert: AlertRaised;
  readonly receivedAt: string;
  readonly streamSeq: number;
}

export interface StoredTransition {
  readonly seq: number;
  readonly action: string;
  readonly from: InboxState;
  readonly to: InboxState;
  readonly by: string;
  readonly role: string;
  readonly at: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface StoredAlertDetail {
  readonly current: StoredAlert;
  /** Every version, newest first (the latest included). */
  readonly versions: readonly StoredAlertVersion[];
  readonly transitions: readonly StoredTransition[];
}

export interface AlertFilter {
  readonly states?: readonly InboxState[];
  readonly typologies?: readonly string[];
  readonly severities?: readonly string[];
  readonly institution?: string;
  readonly country?: string;
  readonly caseId?: string;
  readonly accountKey?: string;
  /** ISO UTC bounds on the latest version's raisedAt: [from, to). */
  readonly from?: string;
  readonly to?: string;
}

export type AlertSortKey = 'raisedAt' | 'severityRank' | 'score';

export interface AlertPageQuery extends AlertFilter {
  readonly sortKey: AlertSortKey;
  readonly descending: boolean;
  readonly after?: { readonly value: string | number; readonly alertId: string };
  readonly limit: number;
}

export interface AlertTransitionWrite {
  readonly alertId: string;
  readonly action: string;
  readonly from: InboxState;
  readonly to: InboxState;
  /** Transitions the caller saw: the write applies only if none happened since. */
  readonly expectedCount: number;
  readonly by: string;
  readonly role: string;
  readonly at: string;
  /** Properties set on the alert (assignee, disposition, ...). */
  readonly stateFields: Readonly<Record<string, string | null>>;
  /** Properties recorded on the transition (reason, note, ...). */
  readonly transitionFields: Readonly<Record<string, string>>;
}

export interface StreamedAlertVersion {
  readonly streamSeq: number;
  readonly alert: AlertRaised;
  readonly state: InboxState;
}

export interface ClosedAlertDisposition {
  readonly alertId: string;
  readonly typology: string;
  readonly disposition: string;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { low: 1, medium: 2, high: 3, critical: 4 };

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const iso = (time: string): string => new Date(time).toISOString();
const parseAlert = (json: unknown): AlertRaised => JSON.parse(String(json)) as AlertRaised;

/** Case ids the alert concerns: its trigger and the victims its tracing follows. */
const caseIdsOf = (alert: AlertRaised): string[] => [
  ...new Set([
    ...(alert.trigger.caseId ? [alert.trigger.caseId] : []),
    ...(alert.tracing?.victims.map((v) => v.caseId) ?? []),
  ]),
];

export const listFieldsOf = (alert: AlertRaised): AlertListFields => ({
  typology: alert.typology,
  severity: alert.severity,
  score: alert.score,
  summary: alert.summary,
  subject: alert.subject,
  institutions: alert.institutions,
  jurisdictions: alert.jurisdictions,
  raisedAt: alert.raisedAt,
  firstSeenAt: alert.firstSeenAt,
  lastSeenAt: alert.lastSeenAt,
  caseIds: caseIdsOf(alert),
});

const involvedOf = (alert: AlertRaised) => {
  const byKey = new Map<string, AlertRaised['involved'][number]>();
  for (const account of [alert.subject, ...alert.involved]) byKey.set(account.accountKey, account);
  return [...byKey.values()].map((a) => ({
    accountKey: a.accountKey,
    accountId: a.accountId,
    institutionId: a.institutionId,
    country: a.country,
    role: a.role,
  }));
};

/** The lookup keys an alert is found by (see AlertKey in alert-inbox.cypher.ts). */
const tagsOf = (alert: AlertRaised): string[] => [
  ...caseIdsOf(alert).map((id) => `case:${id}`),
  ...[...new Set(alert.institutions)].map((id) => `institution:${id}`),
  ...[...new Set(alert.jurisdictions)].map((cc) => `country:${cc}`),
];

const toVersionRow = (alert: AlertRaised, streamSeq: number, receivedAt: string) => {
  const involved = involvedOf(alert);
  return {
    alertId: alert.alertId,
    versionKey: `${alert.alertId}#${alert.version}`,
    version: neo4j.int(alert.version),
    json: JSON.stringify(alert),
    listJson: JSON.stringify(listFieldsOf(alert)),
    raisedAt: iso(alert.raisedAt),
    receivedAt,
    streamSeq: neo4j.int(streamSeq),
    typology: alert.typology,
    severity: alert.severity,
    severityRank: neo4j.int(SEVERITY_RANK[alert.severity] ?? 0),
    score: alert.score,
    detectorStatus: alert.status,
    subjectKey: alert.subject.accountKey,
    institutions: alert.institutions,
    jurisdictions: alert.jurisdictions,
    caseIds: caseIdsOf(alert),
    accountKeys: involved.map((a) => a.accountKey),
    involved,
    tags: tagsOf(alert),
    firstSeenAt: iso(alert.firstSeenAt),
    lastSeenAt: iso(alert.lastSeenAt),
  };
};

const lifecycleOf = (raw: Record<string, unknown>): Omit<StoredAlert, 'alert'> => ({
  alertId: String(raw['alertId']),
  latestVersion: numberOf(raw['latestVersion']),
  state: String(raw['state']) as InboxState,
  receivedAt: String(raw['receivedAt']),
  updatedAt: String(raw['updatedAt']),
  streamSeq: numberOf(raw['streamSeq']),
  transitionCount: numberOf(raw['transitionCount'] ?? 0),
  stateChangedAt: stringOrNull(raw['stateChangedAt']),
  stateChangedBy: stringOrNull(raw['stateChangedBy']),
  assignee: stringOrNull(raw['assignee']),
  disposition: stringOrNull(raw['disposition']),
  dispositionReason: stringOrNull(raw['dispositionReason']),
  duplicateOf: stringOrNull(raw['duplicateOf']),
  strReference: stringOrNull(raw['strReference']),
});

const toStoredAlert = (raw: Record<string, unknown>): StoredAlert => ({
  ...lifecycleOf(raw),
  alert: parseAlert(raw['json']),
});

const TRANSITION_CORE = new Set([
  'seq',
  'action',
  'from',
  'to',
  'by',
  'role',
  'at',
  'alertId',
  'transitionKey',
]);

const toTransition = (raw: Record<string, unknown>): StoredTransition => ({
  seq: numberOf(raw['seq']),
  action: String(raw['action']),
  from: String(raw['from']) as InboxState,
  to: String(raw['to']) as InboxState,
  by: String(raw['by']),
  role: String(raw['role']),
  at: String(raw['at']),
  fields: Object.fromEntries(
    Object.entries(raw)
      .filter(([k, v]) => !TRANSITION_CORE.has(k) && typeof v === 'string')
      .map(([k, v]) => [k, String(v)]),
  ),
});

/** The query shape and parameters of a filter: selective filters become tag lookups. */
const queryOf = (filter: AlertFilter): { shape: AlertQueryShape; params: Record<string, unknown> } => {
  const tags = [
    ...(filter.caseId ? [`case:${filter.caseId}`] : []),
    ...(filter.institution ? [`institution:${filter.institution}`] : []),
    ...(filter.country ? [`country:${filter.country}`] : []),
  ];
  const shape: AlertQueryShape = {
    tags: tags.length,
    accountKey: filter.accountKey !== undefined,
    states: Boolean(filter.states?.length),
    typologies: Boolean(filter.typologies?.length),
    severities: Boolean(filter.severities?.length),
    from: filter.from !== undefined,
    to: filter.to !== undefined,
  };
  const params: Record<string, unknown> = {
    ...Object.fromEntries(tags.map((tag, i) => [`tag${i}`, tag])),
    accountKey: filter.accountKey ?? null,
    states: filter.states ?? null,
    typologies: filter.typologies ?? null,
    severities: filter.severities ?? null,
    from: filter.from ? iso(filter.from) : null,
    to: filter.to ? iso(filter.to) : null,
  };
  return { shape, params };
};

const filterParams = (filter: AlertFilter) => ({
  states: filter.states?.length ? filter.states : null,
  typologies: filter.typologies?.length ? filter.typologies : null,
  severities: filter.severities?.length ? filter.severities : null,
  institution: filter.institution ?? null,
  country: filter.country ?? null,
  caseId: filter.caseId ?? null,
  accountKey: filter.accountKey ?? null,
  from: filter.from ? iso(filter.from) : null,
  to: filter.to ? iso(filter.to) : null,
});

const isUnfiltered = (filter: AlertFilter): boolean =>
  !filter.caseId &&
  !filter.institution &&
  !filter.country &&
  !filter.accountKey &&
  !filter.typologies?.length &&
  !filter.severities?.length &&
  !filter.from &&
  !filter.to;

@Injectable()
export class AlertInboxRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /**
   * Records alert versions not seen before, in one write transaction holding the stream counter's lock.
   * Returns the versions that were new (replays and duplicates within the batch are dropped).
   */
  async recordVersions(alerts: readonly AlertRaised[], receivedAt: string): Promise<AlertRaised[]> {
    const unique = new Map<string, AlertRaised>();
    for (const alert of alerts) unique.set(`${alert.alertId}#${alert.version}`, alert);
    if (unique.size === 0) return [];
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(async (tx) => {
        const counter = await tx.run(LOCK_ALERT_INBOX_COUNTER);
        let seq = numberOf(counter.records[0]?.get('seq'));
        const existing = await tx.run(EXISTING_ALERT_VERSIONS, { versionKeys: [...unique.keys()] });
        const seen = new Set(existing.records.map((r) => String(r.get('versionKey'))));
        // Older versions first, so a batch holding v1 and v2 streams them in order.
        const fresh = [...unique.entries()]
          .filter(([key]) => !seen.has(key))
          .map(([, alert]) => alert)
          .sort((a, b) => a.version - b.version);
        if (fresh.length === 0) return [];
        const alertIds = [...new Set(fresh.map((a) => a.alertId))];
        const known = await tx.run(EXISTING_ALERTS, { alertIds });
        const created = alertIds.length - known.records.length;
        const rows = fresh.map((alert) => toVersionRow(alert, ++seq, receivedAt));
        await tx.run(RECORD_ALERT_VERSIONS, { rows });
        await tx.run(SET_ALERT_INBOX_COUNTER, { seq: neo4j.int(seq) });
        if (created > 0) await tx.run(COUNT_NEW_ALERTS, { created: neo4j.int(created) });
        return fresh;
      });
    } finally {
      await session.close();
    }
  }

  /** A page of the inbox with each alert whole (for a caller that must read all of it, e.g. to mask it). */
  async list(query: AlertPageQuery): Promise<StoredAlert[]> {
    return (await this.listRows(query, 'full')).map(toStoredAlert);
  }

  /** A page of the inbox as its list shows it: lifecycle and list fields, not whole alerts. */
  async listSummaries(query: AlertPageQuery): Promise<StoredAlertSummary[]> {
    return (await this.listRows(query, 'summary')).map((raw) => ({
      ...lifecycleOf(raw),
      listed:
        typeof raw['listJson'] === 'string'
          ? (JSON.parse(raw['listJson']) as AlertListFields)
          : listFieldsOf(parseAlert(raw['json'])),
    }));
  }

  private async listRows(
    query: AlertPageQuery,
    view: 'full' | 'summary',
  ): Promise<Record<string, unknown>[]> {
    const { shape, params } = queryOf(query);
    const records = await readStatement(
      this.driver,
      this.database,
      listAlertsQuery(shape, query.sortKey, query.descending, query.after !== undefined, view),
      {
        ...params,
        after: query.after
          ? {
              value: query.sortKey === 'severityRank' ? neo4j.int(query.after.value) : query.after.value,
              alertId: query.after.alertId,
            }
          : null,
        limit: neo4j.int(query.limit),
      },
    );
    return records.map((r) => r.get('alert') as Record<string, unknown>);
  }

  /**
   * Alerts per state under the filter (its states aside). The unfiltered inbox reads the counts the writes keep
   * on the counter node (counted once, under its lock, if the inbox predates them).
   */
  async countByState(filter: AlertFilter): Promise<Record<string, number>> {
    if (isUnfiltered(filter)) {
      const kept = await readStatement(this.driver, this.database, READ_INBOX_STATE_COUNTS, {
        ids: INBOX_STATE_NAMES.map((state) => `state:${state}`),
      });
      const record = kept[0];
      const counts = new Map(
        ((record?.get('counts') ?? []) as [unknown, unknown][])
          .filter(([id]) => id !== null)
          .map(([id, count]) => [String(id), numberOf(count)]),
      );
      if (record && record.get('countedAt') !== null && counts.size === INBOX_STATE_NAMES.length) {
        return Object.fromEntries(INBOX_STATE_NAMES.map((s) => [s, counts.get(`state:${s}`) ?? 0]));
      }
      await this.driver.executeQuery(
        RECOUNT_INBOX_STATES,
        { states: [...INBOX_STATE_NAMES] },
        { database: this.database, routing: 'WRITE' },
      );
      return this.countByState(filter);
    }
    const { shape, params } = queryOf(filter);
    const records = await readStatement(this.driver, this.database, countAlertsByStateQuery(shape), params);
    return Object.fromEntries(records.map((r) => [String(r.get('state')), numberOf(r.get('count'))]));
  }

  async get(alertId: string): Promise<StoredAlertDetail | undefined> {
    const records = await readStatement(this.driver, this.database, GET_ALERT, { alertId });
    const record = records[0];
    if (!record) return undefined;
    const versions = (record.get('versions') as Record<string, unknown>[]).map((v) => ({
      version: numberOf(v['version']),
      alert: parseAlert(v['json']),
      receivedAt: String(v['receivedAt']),
      streamSeq: numberOf(v['streamSeq']),
    }));
    return {
      current: toStoredAlert(record.get('alert') as Record<string, unknown>),
      versions,
      transitions: (record.get('transitions') as Record<string, unknown>[]).map(toTransition),
    };
  }

  /** Applies a transition if the alert is still where the caller saw it; false if another one won. */
  async transition(write: AlertTransitionWrite): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      TRANSITION_ALERT,
      {
        alertId: write.alertId,
        action: write.action,
        from: write.from,
        to: write.to,
        expectedCount: neo4j.int(write.expectedCount),
        by: write.by,
        role: write.role,
        at: write.at,
        stateFields: write.stateFields,
        transitionFields: write.transitionFields,
      },
      { database: this.database, routing: 'WRITE' },
    );
    return numberOf(records[0]?.get('applied')) === 1;
  }

  /** Versions recorded after stream id `afterSeq`, oldest first, matching the filter. */
  async versionsAfter(afterSeq: number, filter: AlertFilter, limit: number): Promise<StreamedAlertVersion[]> {
    const records = await readStatement(this.driver, this.database, ALERT_VERSIONS_AFTER, {
      ...filterParams(filter),
      afterSeq: neo4j.int(afterSeq),
      limit: neo4j.int(limit),
    });
    return records.map((r) => ({
      streamSeq: numberOf(r.get('streamSeq')),
      alert: parseAlert(r.get('json')),
      state: String(r.get('state')) as InboxState,
    }));
  }

  /** The last stream id issued. */
  async streamHead(): Promise<number> {
    const records = await readStatement(this.driver, this.database, ALERT_INBOX_HEAD, {});
    return numberOf(records[0]?.get('seq') ?? 0);
  }

  async closedDispositions(range: { from?: string; to?: string }): Promise<ClosedAlertDisposition[]> {
    const records = await readStatement(this.driver, this.database, CLOSED_ALERT_DISPOSITIONS, {
      from: range.from ? iso(range.from) : null,
      to: range.to ? iso(range.to) : null,
    });
    return records.map((r) => ({
      alertId: String(r.get('alertId')),
      typology: String(r.get('typology')),
      disposition: String(r.get('disposition')),
    }));
  }
}

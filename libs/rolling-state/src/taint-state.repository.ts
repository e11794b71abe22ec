import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { z } from 'zod';
import { SPLITTING_RULES, type CaseAccountState, type PoolLot, type SplittingRule } from '@scamflow/tracing';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';
import { existingKeys } from './existing-keys';
import { execPipeline } from './stored-json';

/** One account's state in one case, with the case's horizon (after it the entry is dropped). */
export interface StoredCaseAccountState {
  readonly state: CaseAccountState;
  readonly untilMs: number;
}

/**
 * An account that left a case's state (it held less than the follow share): the transfer it left at, kept
 * until the case's horizon so that a transfer arriving late there is still seen as late, and whether a reported
 * balance had cut the case's money there (LIBR): the mark stays with the account when the money comes back.
 */
export interface StoredLeftCase {
  readonly leftAt: { readonly atMs: number; readonly transferId: string; readonly librApplied?: boolean };
  readonly untilMs: number;
}

/** What a reader saw: account → case → state, the keys' write versions, and the case records. */
export interface TaintSnapshot {
  readonly accounts: ReadonlyMap<string, ReadonlyMap<string, StoredCaseAccountState>>;
  /** Account → case → where the account left the case's state. */
  readonly left: ReadonlyMap<string, ReadonlyMap<string, StoredLeftCase>>;
  /** Case record as stored (the tracer parses it), its write version and horizon; absent when none. */
  readonly cases: ReadonlyMap<string, { readonly record: unknown; readonly untilMs: number }>;
  /** Transfer ids already applied, per case, among those asked about. */
  readonly applied: ReadonlyMap<string, ReadonlySet<string>>;
  readonly versions: ReadonlyMap<string, number>;
  /** Cases with a stored value that does not parse (left out above): the caller traces them afresh. */
  readonly corruptCases: ReadonlySet<string>;
  /** Per case, the time from which every transfer it applied is in its journal (absent: no journal). */
  readonly journalFrom: ReadonlyMap<string, number>;
}

/**
 * One transfer a case applied, as its journal keeps it: order key, its accounts' states just before it (null:
 * not in the case then) and its effect on the case's record (the tracer's own JSON, opaque here).
 */
export interface StoredJournalEntry {
  readonly transferId: string;
  readonly atMs: number;
  readonly before: ReadonlyArray<
    readonly [string, CaseAccountState | null] | readonly [string, null, StoredLeftCase['leftAt']]
  >;
  readonly effect: unknown;
}

export interface JournalChange {
  /** Entries to add (transfers applied by this write). */
  readonly entries: readonly StoredJournalEntry[];
  /** Stored entries at or after this time are replaced by `entries` (a rewind applied them again). */
  readonly rewoundFromMs?: number;
  /** Entries before this time are dropped (the allowed lateness): the journal is complete from then on. */
  readonly trimBelowMs: number;
  /** At most this many entries: past it the oldest go and the journal is complete from after them. */
  readonly maxEntries: number;
}

/** What one write does to a case: its record, the transfers it applied, its journal. */
export interface TaintCaseChange {
  readonly record: unknown;
  readonly untilMs: number;
  readonly applied: readonly string[];
  /**
   * Re-traced from the graph: earlier applied ids, accounts and journal are forgotten first; the journal starts
   * empty, complete from `journalFromMs` (after every transfer the trace read).
   */
  readonly reset?: { readonly journalFromMs: number };
  readonly journal?: JournalChange;
  /** Transfers no longer applied (a rewind took them back and they no longer touch the case). */
  readonly unapplied?: readonly string[];
}

export interface TaintChanges {
  /** Per account, per case: the new state, where it left the case, or null to drop the case from the account. */
  readonly accounts: ReadonlyMap<string, ReadonlyMap<string, StoredCaseAccountState | StoredLeftCase | null>>;
  readonly cases: ReadonlyMap<string, TaintCaseChange>;
}

const LotSchema = z.tuple([z.string().nullable(), z.string().regex(/^\d+$/)]);
const StoredStateSchema = z.object({
  p: z.record(z.enum(SPLITTING_RULES), z.array(LotSchema)),
  t: z.boolean(),
  l: z.boolean(),
  a: z.number(),
  i: z.string(),
  m: z.number().int().min(0),
  u: z.number(),
});
const CaseRecordSchema = z.object({ record: z.unknown(), untilMs: z.number() });

const lotsOut = (lots: readonly PoolLot[]) => lots.map((l) => [l.sourceId ?? null, l.amount.toString()]);
const lotsIn = (lots: readonly z.infer<typeof LotSchema>[]): PoolLot[] =>
  lots.map(([sourceId, amount]) => ({ sourceId: sourceId ?? undefined, amount: BigInt(amount) }));

/** The horizon at the end of an encoded state (`u`, written last by `encodeState`). */
const UNTIL_OF_STATE = /"u":(\d+)\}$/;

const stateOut = (state: CaseAccountState) => ({
  p: Object.fromEntries(SPLITTING_RULES.map((rule) => [rule, lotsOut(state.pools[rule])])),
  t: state.touched,
  l: state.librApplied,
  a: state.lastAtMs,
  i: state.lastTransferId,
  m: state.mergedLots,
});

const stateIn = (s: Omit<z.infer<typeof StoredStateSchema>, 'u'>): CaseAccountState => ({
  pools: Object.fromEntries(SPLITTING_RULES.map((rule) => [rule, lotsIn(s.p[rule] ?? [])])) as Record<
    SplittingRule,
    PoolLot[]
  >,
  touched: s.t,
  librApplied: s.l,
  lastAtMs: s.a,
  lastTransferId: s.i,
  mergedLots: s.m,
});

const encodeState = ({ state, untilMs }: StoredCaseAccountState): string =>
  JSON.stringify({ ...stateOut(state), u: untilMs });

const decodeState = (raw: string): StoredCaseAccountState => {
  const s = StoredStateSchema.parse(JSON.parse(raw));
  return { state: stateIn(s), untilMs: s.u };
};

/** Where an account left a case: `{"g":ms,"i":id[,"l":1],"u":until}` (`l`: LIBR applied; `u` last, as in a state). */
const LEFT_PREFIX = '{"g":';
const LeftSchema = z.object({ g: z.number(), i: z.string(), l: z.literal(1).optional(), u: z.number() });
/** A mark's fields as stored (in a state hash and in journal entries). */
const markOut = (leftAt: StoredLeftCase['leftAt']) => ({
  g: leftAt.atMs,
  i: leftAt.transferId,
  ...(leftAt.librApplied ? { l: 1 as const } : {}),
});
const markIn = (s: { g: number; i: string; l?: 1 | undefined }): StoredLeftCase['leftAt'] => ({
  atMs: s.g,
  transferId: s.i,
  ...(s.l ? { librApplied: true } : {}),
});
const encodeLeft = ({ leftAt, untilMs }: StoredLeftCase): string =>
  JSON.stringify({ ...markOut(leftAt), u: untilMs });
const decodeLeft = (raw: string): StoredLeftCase => {
  const s = LeftSchema.parse(JSON.parse(raw));
  return { leftAt: markIn(s), untilMs: s.u };
};

const JournalEntrySchema = z.object({
  i: z.string(),
  a: z.number(),
  // Per account: its state before, or null and where it had left the case (the mark a rewind puts back).
  b: z.array(
    z.union([
      z.tuple([z.string(), StoredStateSchema.omit({ u: true }).nullable()]),
      z.tuple([z.string(), z.null(), LeftSchema.omit({ u: true })]),
    ]),
  ),
  e: z.unknown(),
});

const encodeJournalEntry = (entry: StoredJournalEntry): string =>
  JSON.stringify({
    i: entry.transferId,
    a: entry.atMs,
    b: entry.before.map(([key, state, mark]) =>
      mark ? [key, null, markOut(mark)] : [key, state ? stateOut(state) : null],
    ),
    e: entry.effect,
  });

const decodeJournalEntry = (raw: string): StoredJournalEntry => {
  const s = JournalEntrySchema.parse(JSON.parse(raw));
  return {
    transferId: s.i,
    atMs: s.a,
    before: s.b.map((b) =>
      b.length === 3 ? ([b[0], null, markIn(b[2])] as const) : ([b[0], b[1] ? stateIn(b[1]) : null] as const),
    ),
    effect: s.e,
  };
};

const VERSION_FIELD = '~v';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    commitTaintState(numberOfKeys: number, ...args: string[]): Result<number, Context>;
  }
}

/** A journal change as the commit script takes it (empty when none). */
const journalPlan = (change: JournalChange | undefined) => {
  if (!change) return { jadd: [] };
  return {
    jadd: change.entries.flatMap((entry) => [String(entry.atMs), encodeJournalEntry(entry)]),
    ...(change.rewoundFromMs !== undefined ? { jrewind: String(change.rewoundFromMs) } : {}),
    jtrim: String(change.trimBelowMs),
    jmax: String(change.maxEntries),
  };
};

/** A stored value that does not parse is left out (and reported), never a batch that fails for ever. */
const tryDecode = <T>(decode: () => T): T | undefined => {
  try {
    return decode();
  } catch {
    return undefined;
  }
};

/**
 * Writes a batch of changes only if no key it read changed since (compare-and-set on each key's write version):
 * one script, so the sender's debit, the receiver's credit, the case record, the applied ids and the journal land
 * together or not at all. KEYS: state keys, then per case its record, applied, accounts and journal keys.
 * ARGV[1]: JSON plan (times as strings: Lua numbers print 14 digits).
 * Returns 1 when written, 0 on a conflict (the caller reads again and recomputes).
 */
const COMMIT_LUA = `
local plan = cjson.decode(ARGV[1])
local ttl = tonumber(ARGV[2])
for i, a in ipairs(plan.accounts) do
  local v = tonumber(redis.call('HGET', KEYS[i], '${VERSION_FIELD}') or '0')
  if v ~= a.expect then return 0 end
end
local n = #plan.accounts
for j, c in ipairs(plan.cases) do
  local key = KEYS[n + (j - 1) * 4 + 1]
  local v = tonumber(redis.call('HGET', key, 'v') or '0')
  if v ~= c.expect then return 0 end
end
for i, a in ipairs(plan.accounts) do
  for _, field in ipairs(a.del) do redis.call('HDEL', KEYS[i], field) end
  for k = 1, #a.set, 2 do redis.call('HSET', KEYS[i], a.set[k], a.set[k + 1]) end
  redis.call('HINCRBY', KEYS[i], '${VERSION_FIELD}', 1)
  redis.call('EXPIRE', KEYS[i], ttl)
end
for j, c in ipairs(plan.cases) do
  local base = n + (j - 1) * 4
  local jkey = KEYS[base + 4]
  if c.reset then
    redis.call('DEL', KEYS[base + 2], KEYS[base + 3], jkey)
    redis.call('HSET', KEYS[base + 1], 'jfrom', c.jfrom)
  end
  if c.jrewind then redis.call('ZREMRANGEBYSCORE', jkey, c.jrewind, '+inf') end
  for k = 1, #c.jadd, 2 do redis.call('ZADD', jkey, c.jadd[k], c.jadd[k + 1]) end
  local jfrom = tonumber(redis.call('HGET', KEYS[base + 1], 'jfrom') or '')
  if c.jtrim and jfrom then
    local floor = math.max(jfrom, tonumber(c.jtrim))
    local over = redis.call('ZCARD', jkey) - tonumber(c.jmax)
    if over > 0 then
      local last = redis.call('ZRANGE', jkey, over - 1, over - 1, 'WITHSCORES')
      floor = math.max(floor, tonumber(last[2]) + 1)
    end
    floor = string.format('%.0f', floor)
    redis.call('ZREMRANGEBYSCORE', jkey, '-inf', '(' .. floor)
    redis.call('HSET', KEYS[base + 1], 'jfrom', floor)
  end
  if redis.call('EXISTS', jkey) == 1 then redis.call('PEXPIREAT', jkey, c.expireAt) end
  redis.call('HSET', KEYS[base + 1], 'record', c.record)
  redis.call('HINCRBY', KEYS[base + 1], 'v', 1)
  redis.call('PEXPIREAT', KEYS[base + 1], c.expireAt)
  for _, id in ipairs(c.unapplied) do redis.call('SREM', KEYS[base + 2], id) end
  for _, id in ipairs(c.applied) do redis.call('SADD', KEYS[base + 2], id) end
  for _, acct in ipairs(c.accounts) do redis.call('SADD', KEYS[base + 3], acct) end
  if redis.call('EXISTS', KEYS[base + 2]) == 1 then redis.call('PEXPIREAT', KEYS[base + 2], c.expireAt) end
  if redis.call('EXISTS', KEYS[base + 3]) == 1 then redis.call('PEXPIREAT', KEYS[base + 3], c.expireAt) end
end
return 1
`;

/**
 * The proceeds tracer's incremental taint state (issue 10): per account, per case, the state the tracing rules
 * carry from transfer to transfer, and per case its trace record and the transfers already applied. Partitioned
 * by account: every write is a compare-and-set over the keys it read, so tracer instances sharing the work never
 * lose an update (a conflict re-reads and recomputes). Entries past their case's horizon are dropped on read.
 */
@Injectable()
export class TaintStateRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    // Sent once per connection and run by its hash after that (the script is ~2 KB; commits are per batch).
    redis.defineCommand('commitTaintState', { lua: COMMIT_LUA });
  }

  /** Case ids with live state at each account (accounts without any are left out). */
  async casesAt(accountKeys: readonly string[], nowMs: number): Promise<Map<string, string[]>> {
    // Asked for every account of every committed transfer: the horizon is read off the stored text, not by
    // decoding each state (a value it cannot read is listed, and the snapshot read that follows judges it).
    const unique = [...new Set(accountKeys)];
    const found = new Map<string, string[]>();
    if (unique.length === 0) return found;
    // Most accounts hold no state: ask which keys exist first, then read only those.
    const exist = await existingKeys(this.redis, unique.map(redisKeys.proceedsState));
    const accounts = unique.filter((_, i) => exist.has(i));
    if (accounts.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const key of accounts) pipeline.hgetall(redisKeys.proceedsState(key));
    const results = await execPipeline(pipeline);
    accounts.forEach((accountKey, index) => {
      const hash = (results[index] ?? {}) as Record<string, string>;
      const cases = Object.entries(hash)
        .filter(([field, raw]) => {
          if (field === VERSION_FIELD) return false;
          const until = UNTIL_OF_STATE.exec(raw);
          return until === null || Number(until[1]) >= nowMs;
        })
        .map(([field]) => field);
      if (cases.length > 0) found.set(accountKey, cases.sort());
    });
    return found;
  }

  /** Accounts holding state (or a mark) of each case, in one round trip (for a re-trace, which replaces them). */
  async accountsOfCases(caseIds: readonly string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (caseIds.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const caseId of caseIds) pipeline.smembers(redisKeys.proceedsCaseAccounts(caseId));
    const results = await execPipeline(pipeline);
    caseIds.forEach((caseId, i) => found.set(caseId, (results[i] as string[] | undefined) ?? []));
    return found;
  }

  async read(
    accountKeys: readonly string[],
    caseIds: readonly string[],
    appliedAsked: ReadonlyMap<string, readonly string[]>,
    nowMs: number,
  ): Promise<TaintSnapshot> {
    const accounts = [...new Set(accountKeys)];
    const cases = [...new Set(caseIds)];
    const asked = [...appliedAsked].filter(([, ids]) => ids.length > 0);
    const pipeline = this.redis.pipeline();
    for (const key of accounts) pipeline.hgetall(redisKeys.proceedsState(key));
    for (const caseId of cases) pipeline.hgetall(redisKeys.proceedsCase(caseId));
    for (const [caseId, ids] of asked) pipeline.smismember(redisKeys.proceedsCaseApplied(caseId), ...ids);
    const results = (await pipeline.exec()) ?? [];
    const at = (index: number): unknown => {
      const [error, value] = results[index] ?? [null, null];
      if (error) throw error;
      return value;
    };
    const versions = new Map<string, number>();
    const corruptCases = new Set<string>();
    const states = new Map<string, Map<string, StoredCaseAccountState>>();
    const left = new Map<string, Map<string, StoredLeftCase>>();
    accounts.forEach((accountKey, index) => {
      const hash = (at(index) ?? {}) as Record<string, string>;
      versions.set(redisKeys.proceedsState(accountKey), Number(hash[VERSION_FIELD] ?? 0));
      const perCase = new Map<string, StoredCaseAccountState>();
      const leftCases = new Map<string, StoredLeftCase>();
      for (const [field, raw] of Object.entries(hash)) {
        if (field === VERSION_FIELD) continue;
        if (raw.startsWith(LEFT_PREFIX)) {
          const mark = tryDecode(() => decodeLeft(raw));
          if (!mark) corruptCases.add(field);
          else if (mark.untilMs >= nowMs) leftCases.set(field, mark);
          continue;
        }
        const stored = tryDecode(() => decodeState(raw));
        if (!stored) corruptCases.add(field);
        else if (stored.untilMs >= nowMs) perCase.set(field, stored);
      }
      if (perCase.size > 0) states.set(accountKey, perCase);
      if (leftCases.size > 0) left.set(accountKey, leftCases);
    });
    const records = new Map<string, { record: unknown; untilMs: number }>();
    const journalFrom = new Map<string, number>();
    cases.forEach((caseId, index) => {
      const hash = (at(accounts.length + index) ?? {}) as Record<string, string>;
      versions.set(redisKeys.proceedsCase(caseId), Number(hash.v ?? 0));
      const jfrom = Number(hash.jfrom);
      if (hash.jfrom !== undefined && Number.isFinite(jfrom)) journalFrom.set(caseId, jfrom);
      if (hash.record === undefined) return;
      const raw = hash.record;
      const parsed = tryDecode(() => CaseRecordSchema.parse(JSON.parse(raw)));
      if (!parsed) corruptCases.add(caseId);
      else if (parsed.untilMs >= nowMs) records.set(caseId, parsed);
    });
    const applied = new Map<string, Set<string>>();
    asked.forEach(([caseId, ids], index) => {
      const flags = (at(accounts.length + cases.length + index) ?? []) as number[];
      applied.set(caseId, new Set(ids.filter((_, i) => flags[i] === 1)));
    });
    return { accounts: states, left, cases: records, applied, versions, corruptCases, journalFrom };
  }

  /**
   * Only the write versions of the accounts' state hashes and the cases' records: a snapshot to `commit` a write
   * that replaces what it touches (a trace from the graph) without reading and decoding every case's state at
   * those accounts and the case records. Entries past their horizon are not seen, so such a write leaves them to
   * the next write that reads them.
   */
  async readVersions(accountKeys: readonly string[], caseIds: readonly string[]): Promise<TaintSnapshot> {
    const accounts = [...new Set(accountKeys)].map(redisKeys.proceedsState);
    const cases = [...new Set(caseIds)].map(redisKeys.proceedsCase);
    const pipeline = this.redis.pipeline();
    for (const key of accounts) pipeline.hget(key, VERSION_FIELD);
    for (const key of cases) pipeline.hget(key, 'v');
    const results = await execPipeline(pipeline);
    const versions = new Map([...accounts, ...cases].map((key, i) => [key, Number(results[i] ?? 0)]));
    return {
      accounts: new Map(),
      left: new Map(),
      cases: new Map(),
      applied: new Map(),
      versions,
      corruptCases: new Set(),
      journalFrom: new Map(),
    };
  }

  /**
   * The case's journal entries at or after `fromMs`, or undefined when one does not parse (the caller traces
   * the case from the graph). Read under `commit`'s compare-and-set: the journal only changes with the case's
   * write version.
   */
  async readJournal(caseId: string, fromMs: number): Promise<StoredJournalEntry[] | undefined> {
    const raw = await this.redis.zrangebyscore(redisKeys.proceedsCaseJournal(caseId), fromMs, '+inf');
    const entries: StoredJournalEntry[] = [];
    for (const member of raw) {
      const entry = tryDecode(() => decodeJournalEntry(member));
      if (!entry) return undefined;
      entries.push(entry);
    }
    return entries;
  }

  /**
   * `snapshot` with more accounts' states and more applied ids read (what a reader learns it needs while
   * carrying). Safe under `commit`'s compare-and-set: a write between the two reads shows as a changed version.
   */
  async extend(
    snapshot: TaintSnapshot,
    accountKeys: readonly string[],
    appliedAsked: ReadonlyMap<string, readonly string[]>,
    nowMs: number,
  ): Promise<TaintSnapshot> {
    const more = await this.read(
      accountKeys.filter((key) => !snapshot.versions.has(redisKeys.proceedsState(key))),
      [],
      appliedAsked,
      nowMs,
    );
    const applied = new Map<string, ReadonlySet<string>>(snapshot.applied);
    for (const [caseId, ids] of more.applied) {
      applied.set(caseId, new Set([...(applied.get(caseId) ?? []), ...ids]));
    }
    return {
      accounts: new Map([...snapshot.accounts, ...more.accounts]),
      left: new Map([...snapshot.left, ...more.left]),
      cases: snapshot.cases,
      journalFrom: snapshot.journalFrom,
      applied,
      versions: new Map([...snapshot.versions, ...more.versions]),
      corruptCases: new Set([...snapshot.corruptCases, ...more.corruptCases]),
    };
  }

  /**
   * Writes the changes if nothing read in `snapshot` changed meanwhile; false on a conflict (read again).
   * Accounts and cases written must have been read in `snapshot`.
   */
  async commit(snapshot: TaintSnapshot, changes: TaintChanges, nowMs: number): Promise<boolean> {
    const keys: string[] = [];
    const accounts = [...changes.accounts].map(([accountKey, perCase]) => {
      const key = redisKeys.proceedsState(accountKey);
      keys.push(key);
      const set: string[] = [];
      const del: string[] = [];
      for (const [caseId, stored] of perCase) {
        if (stored === null || stored.untilMs < nowMs) del.push(caseId);
        else set.push(caseId, 'state' in stored ? encodeState(stored) : encodeLeft(stored));
      }
      // Entries of cases whose horizon passed go with this write.
      for (const [caseId, stored] of [
        ...(snapshot.accounts.get(accountKey) ?? []),
        ...(snapshot.left.get(accountKey) ?? []),
      ]) {
        if (stored.untilMs < nowMs && !perCase.has(caseId)) del.push(caseId);
      }
      return { expect: snapshot.versions.get(key) ?? 0, set, del };
    });
    const cases = [...changes.cases].map(([caseId, change]) => {
      const key = redisKeys.proceedsCase(caseId);
      keys.push(
        key,
        redisKeys.proceedsCaseApplied(caseId),
        redisKeys.proceedsCaseAccounts(caseId),
        redisKeys.proceedsCaseJournal(caseId),
      );
      const holders = [...changes.accounts]
        .filter(([, perCase]) => {
          // Marks too: a trace from the graph clears every account the case left something at.
          const stored = perCase.get(caseId);
          return stored !== undefined && stored !== null;
        })
        .map(([accountKey]) => accountKey);
      return {
        expect: snapshot.versions.get(key) ?? 0,
        record: JSON.stringify({ record: change.record, untilMs: change.untilMs }),
        // Kept the TTL past its horizon, or past this write when a feed replayed from history is past it already.
        expireAt: Math.max(change.untilMs, Date.now()) + REDIS_TTL_SECONDS.proceedsState * 1000,
        applied: [...change.applied],
        unapplied: [...(change.unapplied ?? [])],
        accounts: holders,
        reset: change.reset !== undefined,
        ...(change.reset ? { jfrom: String(change.reset.journalFromMs) } : {}),
        ...journalPlan(change.journal),
      };
    });
    // cjson decodes an empty array as an object; Lua's ipairs treats both the same.
    const written = await this.redis.commitTaintState(
      keys.length,
      ...keys,
      JSON.stringify({ accounts, cases }),
      String(REDIS_TTL_SECONDS.proceedsState),
    );
    return written === 1;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';

/** One sighting of an identifier (`<type>:<pseudonymised value>`) on an account. */
export interface IdentifierSighting {
  readonly accountKey: string;
  /** The account's country as the fact reported it (alerts name it). */
  readonly country: string;
  readonly identifierKey: string;
  readonly seenAtMs: number;
}

export interface IdentifierIndexOptions {
  /** Accounts listed per identifier; beyond it they are only counted (the identifier is a hub by then). */
  readonly maxAccountsPerIdentifier: number;
  /** Identifiers kept per account; later ones are not indexed for it (an account rotating IPs without end). */
  readonly maxIdentifiersPerAccount: number;
}

/** What the index knows of one account: its country and its identifiers. */
export interface AccountIdentifiers {
  readonly country: string | null;
  readonly identifiers: IndexedIdentifier[];
}

/** An identifier of an account: when it was seen there, how many accounts use it and (unless a hub) which. */
export interface IndexedIdentifier {
  readonly identifierKey: string;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** Distinct accounts seen with it, this one included (beyond the listed cap: estimated, HyperLogLog). */
  readonly users: number;
  /** The accounts listed for it, this one included; empty when it has more users than the read limit. */
  readonly accountKeys: string[];
}

/**
 * Identifier → accounts (sorted set by first sighting, capped; further accounts only counted in a
 * HyperLogLog). ZADD LT keeps the earliest sighting whatever the arrival order; replays change nothing.
 */
const INDEX_ACCOUNT_LUA = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], 'LT', ARGV[2], ARGV[1])
else
  redis.call('PFADD', KEYS[2], ARGV[1])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;

/**
 * Account → identifiers: `firstSeenMs|lastSeenMs` per identifier, widened by each sighting; capped. The field
 * `@country` holds the account's country (identifier keys always contain a colon, so they never collide with it).
 */
const INDEX_IDENTIFIER_LUA = `
redis.call('HSET', KEYS[1], '@country', ARGV[5])
local current = redis.call('HGET', KEYS[1], ARGV[1])
local seen = tonumber(ARGV[2])
if current then
  local sep = string.find(current, '|', 1, true)
  local first = math.min(tonumber(string.sub(current, 1, sep - 1)), seen)
  local last = math.max(tonumber(string.sub(current, sep + 1)), seen)
  redis.call('HSET', KEYS[1], ARGV[1], string.format('%d|%d', first, last))
elseif redis.call('HLEN', KEYS[1]) <= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], ARGV[1], string.format('%d|%d', seen, seen))
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    indexIdentifierAccount(
      accountsKey: string,
      overflowKey: string,
      accountKey: string,
      seenAtMs: number,
      cap: number,
      ttlSeconds: number,
    ): Result<number, Context>;
    indexAccountIdentifier(
      identifiersKey: string,
      identifierKey: string,
      seenAtMs: number,
      cap: number,
      ttlSeconds: number,
      country: string,
    ): Result<number, Context>;
  }
}

/**
 * Which accounts share a device, phone, IP or holder, kept in Redis from account facts, so shared-identifier
 * detection never reads the graph on the alert path.
 */
@Injectable()
export class IdentifierIndexRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('indexIdentifierAccount', { numberOfKeys: 2, lua: INDEX_ACCOUNT_LUA });
    this.redis.defineCommand('indexAccountIdentifier', { numberOfKeys: 1, lua: INDEX_IDENTIFIER_LUA });
  }

  async record(sightings: readonly IdentifierSighting[], options: IdentifierIndexOptions): Promise<void> {
    if (sightings.length === 0) return;
    const ttl = REDIS_TTL_SECONDS.identifierIndex;
    const pipeline = this.redis.pipeline();
    for (const s of sightings) {
      pipeline.indexIdentifierAccount(
        redisKeys.identifierAccounts(s.identifierKey),
        redisKeys.identifierOverflow(s.identifierKey),
        s.accountKey,
        s.seenAtMs,
        // One more than the hub limit is listed, so a hub is recognised by its list alone.
        options.maxAccountsPerIdentifier + 1,
        ttl,
      );
      pipeline.indexAccountIdentifier(
        redisKeys.accountIdentifiers(s.accountKey),
        s.identifierKey,
        s.seenAtMs,
        options.maxIdentifiersPerAccount,
        ttl,
        s.country,
      );
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** Each account's identifiers with their users; two pipelined round trips for any number of accounts. */
  async identifiersOf(
    accountKeys: readonly string[],
    maxAccountsPerIdentifier: number,
  ): Promise<Map<string, AccountIdentifiers>> {
    const found = new Map<string, AccountIdentifiers>();
    const keys = [...new Set(accountKeys)];
    if (keys.length === 0) return found;
    const first = this.redis.pipeline();
    for (const key of keys) first.hgetall(redisKeys.accountIdentifiers(key));
    const hashes = ((await first.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, string>;
    });
    const isIdentifier = (field: string) => !field.startsWith('@');
    const identifierKeys = [...new Set(hashes.flatMap((h) => Object.keys(h).filter(isIdentifier)))];
    const second = this.redis.pipeline();
    for (const id of identifierKeys) {
      second.zrange(redisKeys.identifierAccounts(id), 0, maxAccountsPerIdentifier);
      second.pfcount(redisKeys.identifierOverflow(id));
    }
    const replies = (await second.exec()) ?? [];
    const users = new Map<string, { count: number; accountKeys: string[] }>();
    identifierKeys.forEach((id, i) => {
      const [listError, listed] = replies[2 * i] ?? [null, []];
      const [countError, overflow] = replies[2 * i + 1] ?? [null, 0];
      if (listError) throw listError;
      if (countError) throw countError;
      const accounts = listed as string[];
      const count = accounts.length + Number(overflow);
      users.set(id, { count, accountKeys: count > maxAccountsPerIdentifier ? [] : accounts });
    });
    keys.forEach((key, i) => {
      const hash = hashes[i] ?? {};
      const identifiers = Object.entries(hash)
        .filter(([field]) => isIdentifier(field))
        .map(([identifierKey, seen]) => {
          const [firstSeen = '0', lastSeen = '0'] = seen.split('|');
          const u = users.get(identifierKey) ?? { count: 0, accountKeys: [] };
          return {
            identifierKey,
            firstSeenMs: Number(firstSeen),
            lastSeenMs: Number(lastSeen),
            users: u.count,
            accountKeys: u.accountKeys,
          };
        })
        .sort((a, b) => a.identifierKey.localeCompare(b.identifierKey));
      found.set(key, { country: hash['@country'] ?? null, identifiers });
    });
    return found;
  }
}

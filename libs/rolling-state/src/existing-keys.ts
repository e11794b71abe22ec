import type Redis from 'ioredis';
import type { Result } from 'ioredis';

/** 1-based positions of the keys (KEYS) that exist: one round trip and one reply for a whole batch. */
const EXISTING_KEYS_LUA = `
local found = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then found[#found + 1] = i end
end
return found
`;

/** Keys asked at once: a few milliseconds of Redis time at most, so other clients are not held up. */
const KEYS_PER_CALL = 5_000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    existingKeys(numberOfKeys: number, ...keys: string[]): Result<number[], Context>;
  }
}

const defined = new WeakSet<Redis>();

/**
 * Which of `keys` (relative: the client applies its prefix) exist, by position. Asked for every account of
 * every consumed transfer where most have no state: one scripted call per few thousand keys instead of a
 * command and a reply per key.
 */
export const existingKeys = async (redis: Redis, keys: readonly string[]): Promise<Set<number>> => {
  if (!defined.has(redis)) {
    redis.defineCommand('existingKeys', { lua: EXISTING_KEYS_LUA });
    defined.add(redis);
  }
  const found = new Set<number>();
  for (let start = 0; start < keys.length; start += KEYS_PER_CALL) {
    const chunk = keys.slice(start, start + KEYS_PER_CALL);
    for (const position of await redis.existingKeys(chunk.length, ...chunk)) found.add(start + position - 1);
  }
  return found;
};

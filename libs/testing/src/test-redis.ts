import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A hash-tagged key prefix of its own for one test file: `{test-label-xxxxxxxx}`. */
export function createTestRedisPrefix(label: string): string {
  return `{test-${label.replace(/[^a-z0-9-]/gi, '-')}-${randomBytes(4).toString('hex')}}`;
}

/** Removes every key under a prefix (SCAN, never KEYS on a shared server). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  const pattern = `${prefix.replace(/([*?[\]\\])/g, '\\$1')}*`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

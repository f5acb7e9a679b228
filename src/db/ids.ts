import { randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a row id (a UUID): checked before a query so a forged id is "not found", never a SQL error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Ids for many new rows at once, in the UUID version 7 layout (RFC 9562): the current millisecond, 26 random bits,
 * then a 48-bit counter starting at a random value. Row n (from 1) of the batch gets `prefix` followed by
 * `start + n` as 12 hex digits, so rows written together get neighbouring ids and the primary key index grows at its
 * right edge instead of at random places.
 */
export function orderedIdBatch(nowMs = Date.now()): { prefix: string; start: bigint } {
  const random = randomBytes(10);
  const time = nowMs.toString(16).padStart(12, '0').slice(-12);
  const randA = (random.readUInt16BE(0) & 0x0fff).toString(16).padStart(3, '0');
  const randB = ((random.readUInt16BE(2) & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  // A 46-bit start leaves room for 2^46 rows before the counter would need a 13th hex digit.
  const start = random.readBigUInt64BE(2) & ((1n << 46n) - 1n);
  return { prefix: `${time.slice(0, 8)}-${time.slice(8)}-7${randA}-${randB}-`, start };
}

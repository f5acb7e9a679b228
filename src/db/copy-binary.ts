/**
 * Rows in PostgreSQL's binary COPY format, for bulk loads into the embedded store. Its text format makes the database
 * parse every timestamp and UUID from text, which in WebAssembly was most of a load's time: measured on 85,000
 * sessions, binary COPY took a third of the time of text COPY. Only the types the bulk loads need are written.
 *
 * Format: the signature, flags and header extension length; then per row the field count (int16) and each field as
 * its length in bytes (int32, -1 for null) and its bytes; then -1 (int16).
 */
export class BinaryCopyRows {
  #buf: Buffer;
  #at = 0;
  #rows = 0;

  constructor(capacity = 1 << 16) {
    this.#buf = Buffer.allocUnsafe(Math.max(capacity, 64));
    this.#at = this.#buf.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
    this.#buf.writeInt32BE(0, this.#at);
    this.#buf.writeInt32BE(0, this.#at + 4);
    this.#at += 8;
  }

  get rows(): number {
    return this.#rows;
  }

  /** Starts a row of `fields` fields; the next calls write them in column order. */
  row(fields: number): this {
    this.#room(2);
    this.#buf.writeInt16BE(fields, this.#at);
    this.#at += 2;
    this.#rows++;
    return this;
  }

  null(): this {
    this.#room(4);
    this.#buf.writeInt32BE(-1, this.#at);
    this.#at += 4;
    return this;
  }

  /** A uuid, from its 36-character text form (checked: anything else would be loaded as other bytes). */
  uuid(value: string): this {
    if (value.length !== 36 || !UUID.test(value)) throw new TypeError('not a uuid');
    this.#room(20);
    this.#buf.writeInt32BE(16, this.#at);
    const hex = value.replaceAll('-', '');
    this.#buf.write(hex, this.#at + 4, 16, 'hex');
    this.#at += 20;
    return this;
  }

  /** text (UTF-8), or null. A NUL character cannot be stored in text: it is refused, as text COPY would. */
  text(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    if (value.includes('\0')) throw new TypeError('text with a NUL character');
    this.#room(4 + value.length * 3);
    const n = this.#buf.write(value, this.#at + 4, 'utf8');
    this.#buf.writeInt32BE(n, this.#at);
    this.#at += 4 + n;
    return this;
  }

  /** timestamptz: microseconds since 2000-01-01 UTC as int64; a date's milliseconds are exact in it. */
  timestamptz(value: Date | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw new TypeError('invalid date');
    const micros = (ms - PG_EPOCH_MS) * 1000;
    const high = Math.floor(micros / 2 ** 32);
    this.#room(12);
    this.#buf.writeInt32BE(8, this.#at);
    this.#buf.writeInt32BE(high, this.#at + 4);
    this.#buf.writeUInt32BE(micros - high * 2 ** 32, this.#at + 8);
    this.#at += 12;
    return this;
  }

  bool(value: boolean | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.#room(5);
    this.#buf.writeInt32BE(1, this.#at);
    this.#buf[this.#at + 4] = value ? 1 : 0;
    this.#at += 5;
    return this;
  }

  /** int4, or null; a number that is not a 32-bit integer is refused. */
  int4(value: number | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new TypeError('not an int4');
    this.#room(8);
    this.#buf.writeInt32BE(4, this.#at);
    this.#buf.writeInt32BE(value, this.#at + 4);
    this.#at += 8;
    return this;
  }

  /** The rows with their trailer, ready for `COPY … FROM … WITH (FORMAT binary)`. */
  finish(): Uint8Array {
    this.#room(2);
    this.#buf.writeInt16BE(-1, this.#at);
    return this.#buf.subarray(0, this.#at + 2);
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + bytes));
    this.#buf.copy(next, 0, 0, this.#at);
    this.#buf = next;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for timestamps. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

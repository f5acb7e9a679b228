/** The narrow SQL seam both stores share: PGlite's `query` and node-postgres's `query` have this shape. */
export type Sql = {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: Row[] }>;
  /**
   * One statement planned under these planner settings (as `SET LOCAL` for that statement alone, e.g.
   * `{ enable_seqscan: 'off' }`), in one request to the store: no round trip back to the caller between setting, query
   * and restoring. Outside a transaction it runs in a short one of its own.
   */
  queryWith<Row = Record<string, unknown>>(
    settings: PlannerSettings,
    text: string,
    params?: unknown[],
  ): Promise<{ rows: Row[] }>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * True inside a transaction that has the whole database to itself (embedded PGlite: one connection, one transaction
   * at a time), so nothing else can change rows underneath it. Bulk loads use it to skip work the transaction
   * already guarantees.
   */
  exclusive?: boolean;
  /**
   * Appends rows to `table` with COPY: `rows` is COPY's text format as a string (one line a row, fields
   * tab-separated, `\N` for null; see `copyField`), or its binary format as bytes (see `BinaryCopyRows`). Offered
   * where it beats a multi-row insert (the embedded store: one transfer to its thread, no parameters to serialise);
   * absent elsewhere.
   */
  copyFrom?(table: string, columns: readonly string[], rows: string | Uint8Array): Promise<number>;
};

/**
 * The SQL seam with its transactions: what use cases, the scheduler and the CLI's commands are given of a store (no
 * Prisma client, no way to close it). `Store` is one; query modules take the `Sql` inside.
 */
export type Database = {
  sql: Sql;
  /** One transaction; rolled back if `fn` throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
};

export type QueryOptions = {
  /**
   * A short statement someone is waiting on (a Slack ack's replay check, a health check). The embedded store, which
   * runs one statement at a time, runs it before the statements still waiting for their turn (searches'); a server
   * with a pool of connections needs no such help.
   */
  urgent?: boolean;
};

/** PostgreSQL planner settings by name (`enable_seqscan`…) and value. */
export type PlannerSettings = Readonly<Record<string, string>>;

/** Settings are applied with `set_config($1, $2, true)`, which is `SET LOCAL` with parameters. */
export const SET_LOCAL_SQL = 'SELECT set_config($1, $2, true)';
/** Back to the value outside the transaction. */
export const RESET_LOCAL_SQL = 'SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY($1::text[])';

export type StoreKind = 'pglite' | 'postgres';

export class StoreError extends Error {
  readonly code: 'STORE.IN_USE' | 'STORE.BAD_URL' | 'STORE.UNAVAILABLE' | 'STORE.MIGRATION';
  constructor(code: StoreError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/**
 * Settings every session of either store runs with. `pg_trgm.word_similarity_threshold`: how close a title's word must
 * be to a word no dictionary knows to be read as its misspelling (PostgreSQL's default, 0.6, lets a four-letter typo
 * such as "grup" match every title with "group" in the trigram index, each then checked one by one: 70 ms at 50,000
 * listings; at 0.7 a typo of one letter in five or more still matches).
 */
export const SESSION_SETTINGS: readonly (readonly [string, string])[] = [['pg_trgm.word_similarity_threshold', '0.7']];

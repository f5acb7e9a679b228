/**
 * Messages between the embedded store's worker thread and the process that uses it. Everything here passes through
 * structured clone: rows and parameters keep their Dates, BigInts and Uint8Arrays; functions (result parsers) and
 * error classes do not, so parsers are applied on the calling side and errors travel as their fields.
 */
export type WorkerInit = {
  dataDir: string | null;
  /** A snapshot to start from (a tar made by `dumpDataDir`). */
  loadDataDir: ArrayBuffer | null;
  /** Compiled once by the calling process, so each store's thread skips compiling them. */
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  /** The store thread's niceness (0–19; see OpenStoreOptions.storeThreadNiceness). */
  niceness: number;
  /** Set for the session when the database is open (SESSION_SETTINGS in sql.ts). */
  settings: readonly (readonly [string, string])[];
};

export type WorkerRequest =
  | {
      id: number;
      op: 'query';
      text: string;
      params: unknown[] | undefined;
      txId: number | null;
      rowMode: 'array' | 'object' | undefined;
      /** Type oids whose values come back as PostgreSQL's text, for the caller's own parsers. */
      rawTypes: number[] | undefined;
      /** A COPY … FROM '/dev/blob' source. */
      blob: ArrayBuffer | undefined;
      /**
       * Planner settings for this statement alone (name, value): set locally before it and restored after it, in a
       * transaction of its own when it is not in one.
       */
      settings?: [string, string][];
      /** Runs before statements still waiting (not before one under way): short, and someone is waiting on it. */
      urgent?: boolean;
    }
  | { id: number; op: 'exec'; text: string; txId: number | null }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; txId: number; commit: boolean }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: 0; ready: true }
  | { id: 0; ready: false; error: SerializedError };

export type SerializedError = {
  message: string;
  name: string;
  /** A PostgreSQL error (PGlite's DatabaseError): its code, severity, detail, constraint… travel with it. */
  database: boolean;
  fields: Record<string, unknown>;
  stack: string | undefined;
};

export type QueryResultMessage = {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
};

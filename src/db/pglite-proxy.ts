import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { messages } from '@electric-sql/pglite';
import type {
  QueryResultMessage,
  SerializedError,
  WorkerInit,
  WorkerRequest,
  WorkerResponse,
} from './pglite-protocol.ts';
import { SESSION_SETTINGS, StoreError } from './sql.ts';

type Parser = (value: string, typeId?: number) => unknown;
export type ProxyQueryOptions = {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, Parser>;
  blob?: Blob;
  /** Planner settings for this statement alone, applied and restored on the worker (see Sql.queryWith). */
  settings?: Readonly<Record<string, string>>;
  /** Runs before the store's waiting statements (see Sql.query's `urgent`). */
  urgent?: boolean;
};

/** What both the Store and Prisma's PGlite adapter call: PGlite's `query`, `exec` and `transaction`. */
export type PgliteQueryable = {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    options?: ProxyQueryOptions,
  ): Promise<{ rows: Row[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown[]>;
};

export type PgliteProxyTransaction = PgliteQueryable & { rollback(): Promise<void>; closed: boolean };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/**
 * `caller` is where the request was made, for the stack of an error that comes back; its text is only built (the
 * costly part, through source maps under tsx) when one does.
 */
type Pending = { resolve(value: unknown): void; reject(error: unknown): void; caller: Error };

/**
 * The embedded database (PGlite) on a worker thread, with the parts of PGlite's interface the app uses. PGlite runs
 * each query synchronously on whatever thread holds it; here that is the worker, so the event loop stays free for
 * I/O while a query runs. Queries still run one at a time, in the order they were sent, as on one connection.
 */
export class PgliteProxy implements PgliteQueryable {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | null = null;
  #closed = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  static async start(options: {
    dataDir: string | null;
    loadDataDir: ArrayBuffer | null;
    niceness: number;
  }): Promise<PgliteProxy> {
    const init: WorkerInit = { ...options, settings: SESSION_SETTINGS, ...(await compiledWasm()) };
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: init,
      transferList: init.loadDataDir ? [init.loadDataDir] : [],
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    const proxy = new PgliteProxy(worker);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`The embedded database's worker stopped (exit code ${code}).`));
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.once('message', (message: WorkerResponse) => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        if ('ready' in message && message.ready) resolve();
        else if ('ready' in message) {
          // The worker rethrows what it reported here as it ends: that is this failure, already told.
          worker.on('error', () => {});
          reject(toError(message.error, undefined));
        } else reject(new Error('The embedded database worker answered before it was ready.'));
      });
    });
    worker.on('message', (message: WorkerResponse) => proxy.#settle(message));
    worker.on('error', (error) => proxy.#fail(error));
    worker.on('exit', (code) => {
      if (!proxy.#closed) proxy.#fail(new Error(`The embedded database's worker stopped (exit code ${code}).`));
    });
    worker.unref();
    return proxy;
  }

  #settle(message: WorkerResponse) {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('ok' in message && message.ok) pending.resolve(message.value);
    else if ('error' in message) pending.reject(toError(message.error, pending.caller.stack));
  }

  #fail(error: Error) {
    this.#failure = new StoreError('STORE.UNAVAILABLE', `The embedded database stopped: ${error.message}`, {
      cause: error,
    });
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }

  #send<T>(request: DistributiveOmit<WorkerRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new StoreError('STORE.UNAVAILABLE', 'The embedded database is closed.'));
    const id = this.#nextId++;
    // A query under way keeps the process alive; an idle store does not (as PGlite itself in this thread).
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, caller: new Error() });
      this.#worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  query<Row = Record<string, unknown>>(text: string, params?: unknown[], options?: ProxyQueryOptions) {
    return this.#query<Row>(null, text, params, options);
  }

  async #query<Row>(txId: number | null, text: string, params?: unknown[], options?: ProxyQueryOptions) {
    const blob = options?.blob ? await options.blob.arrayBuffer() : undefined;
    const parsers = options?.parsers;
    const result = await this.#send<QueryResultMessage>(
      {
        op: 'query',
        text,
        params,
        txId,
        rowMode: options?.rowMode,
        rawTypes: parsers ? Object.keys(parsers).map(Number) : undefined,
        blob,
        ...(options?.settings ? { settings: Object.entries(options.settings) } : {}),
        ...(options?.urgent ? { urgent: true } : {}),
      },
      blob ? [blob] : [],
    );
    if (parsers) applyParsers(result, parsers, options?.rowMode === 'array');
    return result as { rows: Row[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number };
  }

  async exec(text: string): Promise<unknown[]> {
    await this.#send({ op: 'exec', text, txId: null });
    return [];
  }

  /** One transaction: the database is the transaction's until `fn` settles; committed, or rolled back if it throws. */
  async transaction<T>(fn: (tx: PgliteProxyTransaction) => Promise<T>): Promise<T> {
    const txId = await this.#send<number>({ op: 'begin' });
    let rolledBack = false;
    const tx: PgliteProxyTransaction = {
      query: (text, params, options) => this.#query(txId, text, params, options),
      exec: async (text) => {
        await this.#send({ op: 'exec', text, txId });
        return [];
      },
      rollback: async () => {
        rolledBack = true;
      },
      get closed() {
        return rolledBack;
      },
    };
    let value: T;
    try {
      value = await fn(tx);
    } catch (error) {
      await this.#send({ op: 'end', txId, commit: false }).catch(() => {});
      throw error;
    }
    await this.#send({ op: 'end', txId, commit: !rolledBack });
    return value;
  }

  async dumpDataDir(): Promise<Blob> {
    return new Blob([await this.#send<ArrayBuffer>({ op: 'dump' })]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#failure) await this.#send({ op: 'close' });
    } finally {
      this.#closed = true;
      // The database is closed (its files written) once the worker answers; the thread's own teardown need not be
      // waited for.
      void this.#worker.terminate();
    }
  }
}

// Node has WebAssembly; the project's type library (ES2023, no DOM) only declares its types.
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } })
  .WebAssembly;
let wasm: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module }> | undefined;

/** PGlite's WebAssembly, compiled once per process and handed to each store's worker (modules clone cheaply). */
function compiledWasm() {
  wasm ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm'].map(async (name) =>
        wasmApi.compile(await fs.promises.readFile(path.join(dist, name))),
      ),
    );
    return { pgliteWasmModule: pgliteWasmModule!, initdbWasmModule: initdbWasmModule! };
  })();
  return wasm;
}

function applyParsers(result: QueryResultMessage, parsers: Record<number, Parser>, arrays: boolean) {
  const columns = result.fields
    .map((field, index) => ({ index, name: field.name, typeId: field.dataTypeID, parse: parsers[field.dataTypeID] }))
    .filter((c) => c.parse !== undefined);
  if (columns.length === 0) return;
  for (const row of result.rows) {
    const record = row as Record<string | number, unknown>;
    for (const c of columns) {
      const key = arrays ? c.index : c.name;
      const value = record[key];
      if (typeof value === 'string') record[key] = c.parse!(value, c.typeId);
    }
  }
}

/** Errors keep what callers read: PostgreSQL's code, detail, constraint…; database errors are PGlite's own class. */
function toError(serialized: SerializedError, callerStack: string | undefined): Error {
  const { message, name, database, fields } = serialized;
  let error: Error;
  if (database) {
    error = new messages.DatabaseError(message, Number(fields.length ?? 0), 'error');
    for (const [key, value] of Object.entries(fields)) {
      if (key !== 'length' && key !== 'name') (error as unknown as Record<string, unknown>)[key] = value;
    }
  } else {
    error = new Error(message);
    error.name = name;
    Object.assign(error, fields);
  }
  if (callerStack) error.stack = `${error.name}: ${message}\n${callerStack.split('\n').slice(2).join('\n')}`;
  return error;
}

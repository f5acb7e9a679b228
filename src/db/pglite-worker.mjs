// @ts-check
// The embedded database runs here, on its own thread: a long query blocks this thread only, never the event loop that
// answers Slack, Teams and HTTP. Plain JavaScript, because worker threads do not inherit the TypeScript loader the app
// runs under (tsx, vitest); the messages are typed in pglite-protocol.ts.
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** @typedef {import('./pglite-protocol.ts').WorkerRequest} WorkerRequest */
/** @typedef {import('./pglite-protocol.ts').WorkerInit} WorkerInit */
/** @typedef {import('./pglite-protocol.ts').SerializedError} SerializedError */
/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */

const port = parentPort;
if (!port) throw new Error('pglite-worker.mjs runs as a worker thread');
/** @type {WorkerInit} */
const init = workerData;

// Below the event loop's thread in the scheduler's eyes: when the two want the same core, Slack's acks, Teams' turns
// and /healthz run first and a search statement waits. Linux gives each thread its own niceness (its id is the last
// part of /proc/thread-self); elsewhere, or where it is not allowed, the thread keeps the process's priority.
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (init.niceness > 0 && Number.isInteger(tid) && tid !== process.pid) os.setPriority(tid, init.niceness);
} catch {}

/** @type {Map<number, { tx: Transaction, finish(commit: boolean): void }>} */
const transactions = new Map();
/** @type {Map<number, { resolve(value: unknown): void, reject(error: unknown): void }>} */
const ends = new Map();
let nextTxId = 1;
/** @param {string} value */
const asText = (value) => value;

/**
 * Errors travel as their fields (structured clone drops their class): PostgreSQL's code, severity, detail…
 * @param {unknown} error
 * @returns {SerializedError}
 */
function serializeError(error) {
  if (!(error instanceof Error))
    return { message: String(error), name: 'Error', database: false, fields: {}, stack: undefined };
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue;
    fields[key] = value;
  }
  const database = typeof fields.code === 'string' && typeof fields.severity === 'string';
  return { message: error.message, name: error.name, database, fields, stack: error.stack };
}

/** `SET LOCAL` with parameters, and back to the value outside the transaction (as open-store.ts does on PostgreSQL). */
const SET_LOCAL_SQL = 'SELECT set_config($1, $2, true)';
const RESET_LOCAL_SQL = 'SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY($1::text[])';

/**
 * Runs one statement of an open transaction under planner settings, then puts them back for the rest of it.
 * @template T
 * @param {Transaction} tx
 * @param {[string, string][]} settings
 * @param {(tx: Transaction) => Promise<T>} run
 */
async function withSettings(tx, settings, run) {
  for (const [name, value] of settings) await tx.query(SET_LOCAL_SQL, [name, value]);
  try {
    return await run(tx);
  } finally {
    await tx.query(RESET_LOCAL_SQL, [settings.map(([name]) => name)]).catch(() => {});
  }
}

/** @type {PGlite} */
let db;
try {
  db = await PGlite.create({
    ...(init.dataDir ? { dataDir: init.dataDir } : {}),
    ...(init.loadDataDir ? { loadDataDir: new Blob([init.loadDataDir]) } : {}),
    extensions: { pg_trgm, unaccent },
    pgliteWasmModule: init.pgliteWasmModule,
    initdbWasmModule: init.initdbWasmModule,
  });
  for (const [name, value] of init.settings) await db.query('SELECT set_config($1, $2, false)', [name, value]);
  port.postMessage({ id: 0, ready: true });
} catch (error) {
  port.postMessage({ id: 0, ready: false, error: serializeError(error) });
  port.close();
  throw error;
}

/** @param {number} txId */
function transactionFor(txId) {
  const open = transactions.get(txId);
  if (!open) throw new Error(`No open transaction ${txId}`);
  return open.tx;
}

/**
 * Opens a PGlite transaction and keeps it open until the caller sends `end`: it holds the database meanwhile, and
 * other queries wait for it as they would in the same thread.
 * @returns {Promise<number>}
 */
function begin() {
  const txId = nextTxId++;
  return new Promise((resolveBegin, rejectBegin) => {
    let begun = false;
    db.transaction(
      (tx) =>
        new Promise((resolve) => {
          begun = true;
          transactions.set(txId, {
            tx,
            finish(commit) {
              if (commit) resolve(undefined);
              else tx.rollback().then(resolve, resolve);
            },
          });
          resolveBegin(txId);
        }),
    ).then(
      () => {
        transactions.delete(txId);
        ends.get(txId)?.resolve(null);
        ends.delete(txId);
      },
      (error) => {
        transactions.delete(txId);
        if (!begun) rejectBegin(error);
        ends.get(txId)?.reject(error);
        ends.delete(txId);
      },
    );
  });
}

/**
 * @param {WorkerRequest} request
 * @returns {Promise<unknown>}
 */
async function handle(request) {
  switch (request.op) {
    case 'query': {
      /** @param {import('@electric-sql/pglite').PGliteInterface | Transaction} target */
      const run = (target) =>
        target.query(request.text, request.params, {
          ...(request.rowMode ? { rowMode: request.rowMode } : {}),
          ...(request.rawTypes ? { parsers: Object.fromEntries(request.rawTypes.map((t) => [t, asText])) } : {}),
          ...(request.blob ? { blob: new Blob([request.blob]) } : {}),
        });
      const settings = request.settings;
      const result = !settings?.length
        ? await run(request.txId === null ? db : transactionFor(request.txId))
        : request.txId === null
          ? await db.transaction(async (tx) => {
              for (const [name, value] of settings) await tx.query(SET_LOCAL_SQL, [name, value]);
              return run(tx);
            })
          : await withSettings(transactionFor(request.txId), settings, run);
      return {
        rows: result.rows,
        fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        ...(result.affectedRows !== undefined ? { affectedRows: result.affectedRows } : {}),
      };
    }
    case 'exec': {
      const target = request.txId === null ? db : transactionFor(request.txId);
      await target.exec(request.text);
      return null;
    }
    case 'begin':
      return begin();
    case 'end': {
      const open = transactions.get(request.txId);
      if (!open) throw new Error(`No open transaction ${request.txId}`);
      const txId = request.txId;
      return new Promise((resolve, reject) => {
        ends.set(txId, { resolve, reject });
        open.finish(request.commit);
      });
    }
    case 'dump':
      return await (await db.dumpDataDir('none')).arrayBuffer();
    case 'close':
      await db.close();
      return null;
  }
}

/** @param {WorkerRequest} request */
function answer(request) {
  return handle(request).then(
    (value) => {
      try {
        if (value instanceof ArrayBuffer) port.postMessage({ id: request.id, ok: true, value }, [value]);
        else port.postMessage({ id: request.id, ok: true, value });
      } catch (error) {
        // A value structured clone cannot carry: the caller gets the error, and the next statement its turn.
        port.postMessage({ id: request.id, ok: false, error: serializeError(error) });
      }
      if (request.op === 'close') port.close();
    },
    (error) => port.postMessage({ id: request.id, ok: false, error: serializeError(error) }),
  );
}

/**
 * Statements outside a transaction run one at a time, in the order sent, except that urgent ones (a health check:
 * short, and someone waiting on it) go before those still waiting. PGlite would run them in arrival order, so such a
 * statement waited behind every search statement already sent. A transaction's own statements never wait here: the
 * transaction holds the database, and they must reach it.
 * @type {{ urgent: WorkerRequest[], normal: WorkerRequest[] }}
 */
const waiting = { urgent: [], normal: [] };
let running = false;

/** @param {WorkerRequest} request */
function take(request) {
  const inTransaction = 'txId' in request && request.txId !== null;
  if (request.op === 'begin' || request.op === 'end' || inTransaction) void answer(request);
  else (request.op === 'query' && request.urgent ? waiting.urgent : waiting.normal).push(request);
}

function runNext() {
  // Whatever was sent while the last statement ran (this thread was busy in it) is taken first, so that an urgent
  // statement sent then is seen before the next one starts.
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) take(m.message);
  const next = waiting.urgent.shift() ?? waiting.normal.shift();
  if (!next) {
    running = false;
    return;
  }
  running = true;
  void answer(next).then(runNext);
}

port.on('message', (/** @type {WorkerRequest} */ request) => {
  take(request);
  if (!running) runNext();
});

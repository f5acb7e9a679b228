import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect, inject, vi } from 'vitest';

// Nock replaces Node's HTTP client while it is active (from its first import on). Files share a worker, so it is
// active only for the files that use it (vitest.config.ts lists them) and restored after each, with no interceptor
// or network rule left behind for the next file.
const nockFiles = new Set(inject('nockFiles'));
if (nock.isActive()) nock.restore();
beforeAll(() => {
  const file = expect.getState().testPath;
  if (file && nockFiles.has(path.resolve(file)) && !nock.isActive()) nock.activate();
});
afterAll(() => {
  nock.abortPendingRequests();
  nock.cleanAll();
  nock.enableNetConnect();
  if (nock.isActive()) nock.restore();
});

// An unexpected console.error in a test is a failure: errors must go through the logger.
// In a worker shared by several files this file runs once per file: wrap the console's own function, not the last
// file's wrapper.
let errors: unknown[][] = [];
type Wrapped = typeof console.error & { original?: typeof console.error };
const original = (console.error as Wrapped).original ?? console.error;
console.error = Object.assign(
  (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  },
  { original },
);
afterEach(() => {
  const seen = errors;
  errors = [];
  vi.restoreAllMocks();
  if (seen.length > 0) throw new Error(`console.error was called: ${String(seen[0]?.[0])}`);
});

import { afterEach, vi } from 'vitest';

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

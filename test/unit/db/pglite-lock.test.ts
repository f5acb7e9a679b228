import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFolderLock } from '../../../src/db/pglite-lock.ts';

const onLinux = fs.existsSync('/proc/self/stat');
const startOf = (pid: number) =>
  fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\)\s*/s, '')
    .split(/\s+/)[19];

describe('the embedded folder lock', () => {
  let dir: string;
  let other: ChildProcess;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-lock-'));
    other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  });
  afterEach(() => {
    other.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const writeLock = (holder: object) => fs.writeFileSync(path.join(dir, 'signpost.lock'), JSON.stringify(holder));
  const lock = () => JSON.parse(fs.readFileSync(path.join(dir, 'signpost.lock'), 'utf8')) as { pid: number };

  it('records this process, refuses a running holder, and is gone once released', () => {
    const release = acquireFolderLock(dir);
    expect(lock().pid).toBe(process.pid);
    release();
    expect(fs.existsSync(path.join(dir, 'signpost.lock'))).toBe(false);

    writeLock({
      pid: other.pid,
      since: new Date().toISOString(),
      ...(onLinux ? { started: startOf(other.pid!) } : {}),
    });
    expect(() => acquireFolderLock(dir)).toThrow(`in use by another Signpost process (pid ${other.pid})`);
  });

  it('takes over the lock of a process that has gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    writeLock({ pid: gone.pid, since: '2026-01-01T00:00:00.000Z' });
    const release = acquireFolderLock(dir);
    expect(lock().pid).toBe(process.pid);
    release();
  });

  it.runIf(onLinux)('takes over a lock whose process id now belongs to another process, or to an earlier boot', () => {
    writeLock({ pid: other.pid, since: '2026-01-01T00:00:00.000Z', started: '1' });
    acquireFolderLock(dir)();
    writeLock({
      pid: other.pid,
      since: '2026-01-01T00:00:00.000Z',
      boot: '00000000-0000-0000-0000-000000000000',
      started: startOf(other.pid!),
    });
    const release = acquireFolderLock(dir);
    expect(lock().pid).toBe(process.pid);
    release();
  });
});

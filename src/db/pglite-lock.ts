import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './sql.ts';

const LOCK_FILE = 'signpost.lock';

/** Who holds a folder: the process id, and (on Linux) the boot and the process's start time, so a reused id is told apart. */
type Holder = { pid?: number; since?: string; boot?: string; started?: string };

const readText = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};
const bootId = () => readText('/proc/sys/kernel/random/boot_id');
/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot (after the command name). */
const startTime = (pid: number) =>
  readText(`/proc/${pid}/stat`)
    ?.replace(/^.*\)\s*/s, '')
    .split(/\s+/)[19];

/** Whether the recorded holder is still running: a dead process, or another one now carrying its id, holds nothing. */
function holderAlive(holder: Holder): boolean {
  const pid = holder.pid;
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.boot && bootId() && holder.boot !== bootId()) return false;
  if (holder.started && startTime(pid) && holder.started !== startTime(pid)) return false;
  return true;
}

const readHolder = (file: string): Holder | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
};

/**
 * PGlite is single-process: two processes writing one folder corrupt it. Take an exclusive lock file (atomic `wx`
 * create); a lock left by a process that is no longer running (killed, crashed, the machine restarted) is taken over.
 */
export function acquireFolderLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      const me: Holder = { pid: process.pid, since: new Date().toISOString() };
      const boot = bootId();
      const started = startTime(process.pid);
      if (boot) me.boot = boot;
      if (started) me.started = started;
      fs.writeSync(fd, JSON.stringify(me));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holderAlive(holder)) {
        throw new StoreError(
          'STORE.IN_USE',
          `The embedded database at ${dir} is in use by another Signpost process (pid ${holder.pid}). ` +
            'Stop that process first (for example the server started with `npm start`), or set ' +
            'DATABASE_URL to another folder (pglite:<folder>) or to a PostgreSQL server, which several processes can share.',
        );
      }
      // An unreadable lock file is another process writing it right now, or one killed while writing it long ago.
      if (!holder && Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 5_000) {
        throw new StoreError(
          'STORE.IN_USE',
          `The embedded database at ${dir} is being opened by another Signpost process.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new StoreError('STORE.IN_USE', `Could not lock the embedded database at ${dir}.`);
}

/** The running process that holds the folder, if any. */
export function folderHolder(dir: string): { pid: number } | null {
  const holder = readHolder(path.join(dir, LOCK_FILE));
  return holder?.pid !== undefined && holderAlive(holder) ? { pid: holder.pid } : null;
}

import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './sql.ts';

const LOCK_FILE = 'signpost.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is single-process: two processes writing one folder corrupt it. Take an exclusive lock file (atomic `wx`
 * create); a lock left by a dead process is taken over.
 */
export function acquireFolderLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number };
          if (holder.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let pid: number | undefined;
      try {
        pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number }).pid;
      } catch {
        pid = undefined;
      }
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
        throw new StoreError(
          'STORE.IN_USE',
          `The embedded database at ${dir} is in use by another Signpost process (pid ${pid}). ` +
            'Stop that process first (for example the server started with `npm start`), or set ' +
            'DATABASE_URL to another folder (pglite:<folder>) or to a PostgreSQL server, which several processes can share.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new StoreError('STORE.IN_USE', `Could not lock the embedded database at ${dir}.`);
}

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedPgliteFolder } from '../../helpers/test-db.ts';

// `npm start` exactly as a person or a service manager runs it: npm → tsx → node, signals sent to npm.
const ROOT = path.resolve('.');
const TOKEN = 'lifecycle-test-token-0123';

type Server = {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

function npmStart(storeDir: string): Promise<Server> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `pglite:${storeDir}`, PORT: '0', LOG_LEVEL: 'info', INSIGHTS_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => output, exit });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

/** The process's exit, or a failure if it is still running after `ms` (a service manager's patience). */
function exitWithin(server: Server, ms: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`still running ${ms} ms after the signal:\n${server.output()}`)),
      ms,
    );
    void server.exit.then((result) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}

function waitForOutput(server: Server, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(server.output())) {
        server.child.stderr!.off('data', check);
        resolve();
      }
    };
    server.child.stderr!.on('data', check);
    void server.exit.then(() =>
      pattern.test(server.output()) ? resolve() : reject(new Error(`exited before ${pattern}:\n${server.output()}`)),
    );
    check();
  });
}

/** Whether anything accepts connections on the port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const lockOf = (dir: string) => {
  const file = path.join(dir, 'signpost.lock');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }) : null;
};

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

async function start(dir: string): Promise<Server> {
  const server = await npmStart(dir);
  running.add(server.child);
  const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', store: 'pglite' });
  return server;
}

// Each test starts `npm start` (a new process that opens, and maybe seeds, a store) once or twice: on a busy machine
// that alone can take most of the default minute.
describe('starting and stopping npm start', { timeout: 180_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-lifecycle-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stops on SIGTERM with exit code 0: the request under way is answered, the port closes, the store is released', async () => {
    // Folders filled from the run's migrated snapshot: creating and migrating a new one is start.test.ts's.
    const dir = await migratedPgliteFolder(path.join(root, 'store'));
    const server = await start(dir);
    expect(lockOf(dir)).not.toBeNull();

    // A sign-in whose body is still on its way when the signal comes: the server has taken it (100 Continue).
    const form = await fetch(`http://127.0.0.1:${server.port}/insights`);
    const nonce =
      form.headers
        .getSetCookie()
        .find((c) => c.startsWith('signpost_insights_form='))
        ?.split(';')[0] ?? '';
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const body = new URLSearchParams({ token: TOKEN, csrf }).toString();
    const request = http.request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/insights/login',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
        cookie: nonce,
      },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.once('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.once('error', reject);
    });
    await new Promise<void>((resolve) => request.once('continue', resolve));

    server.child.kill('SIGTERM');
    await waitForOutput(server, /"msg":"shutting down"/);
    expect(await accepting(server.port)).toBe(false);
    request.end(body);
    const answer = await response.catch((error: Error) => ({
      status: 0,
      text: `${error.message}\n${server.output()}`,
    }));
    expect(answer).toEqual({ status: 303, text: 'signed in' });

    expect(await exitWithin(server, 10_000)).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/"msg":"stopped"/);
    expect(await accepting(server.port)).toBe(false);
    expect(lockOf(dir)).toBeNull();

    // The same folder opens again at once, and SIGINT (Ctrl-C) stops it the same way.
    const again = await start(dir);
    again.child.kill('SIGINT');
    expect(await exitWithin(again, 10_000)).toEqual({ code: 0, signal: null });
    expect(lockOf(dir)).toBeNull();
  });

  it('after kill -9 the next start takes over the stale lock by itself', async () => {
    const dir = await migratedPgliteFolder(path.join(root, 'killed'));
    const first = await start(dir);
    const holder = lockOf(dir)!;
    // The store belongs to the node process at the end of npm → tsx → node.
    expect(holder.pid).not.toBe(first.child.pid);
    process.kill(holder.pid, 'SIGKILL');
    expect((await exitWithin(first, 10_000)).code).not.toBe(0);
    expect(lockOf(dir)).toEqual(holder);

    const second = await start(dir);
    expect(lockOf(dir)!.pid).not.toBe(holder.pid);
    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 10_000)).toEqual({ code: 0, signal: null });
    expect(lockOf(dir)).toBeNull();
  });

  // util-linux `script` gives the server a real terminal, as when a person types `npm start`.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.runIf(hasScript)(
    'with the chat in the terminal, log lines go to the log file the banner names, not into the conversation',
    async () => {
      const dir = await migratedPgliteFolder(path.join(root, 'chat'));
      const child = spawn('script', ['-qfec', 'npm start', '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: `pglite:${dir}`, PORT: '0', LOG_LEVEL: 'info' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      running.add(child);
      let output = '';
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const server: Server = { child, port: 0, output: () => output, exit };
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      const shown = (pattern: RegExp) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pattern.test(output)) {
              child.stdout!.off('data', check);
              resolve();
            }
          };
          child.stdout!.on('data', check);
          void exit.then(() =>
            pattern.test(output) ? resolve() : reject(new Error(`exited before ${pattern}:\n${output}`)),
          );
          check();
        });

      await shown(/Type a question and press Enter/);
      const logFile = path.join(dir, 'signpost.log');
      expect(output).toContain(`Log: ${logFile}`);
      child.stdin!.write('lunch club\r');
      await shown(/I looked for/);
      child.stdin!.write('\u0003'); // Ctrl-C in the chat stops the server
      expect(await exitWithin(server, 10_000)).toEqual({ code: 0, signal: null });

      const conversation = output.slice(output.indexOf(`Log: ${logFile}`));
      expect(conversation).toContain('I looked for');
      expect(conversation).not.toMatch(/"level":\d+/);
      const logged = fs.readFileSync(logFile, 'utf8');
      expect(logged).toMatch(/"msg":"shutting down"/);
      expect(logged).toMatch(/"msg":"stopped"/);
      expect(lockOf(dir)).toBeNull();
    },
  );
});

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = path.resolve('src/main.ts');
const CLI = path.resolve('src/cli/main.ts');
// Absolute, so processes started in another folder still find the TypeScript loader.
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;

function startServer(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env: { ...process.env, ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

// Each test starts `npm start` (a new process that opens, and maybe seeds, a store) once or twice: on a busy machine
// that alone can take most of the default minute.
describe('npm start on a fresh checkout', { timeout: 180_000 }, () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-start-'));
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('creates ./data, loads the demo catalogue, answers /healthz, and keeps the folder to itself', async () => {
    const { child, port, output } = await startServer(cwd, { PORT: '0', DATABASE_URL: '', LOG_LEVEL: 'info' });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', store: 'pglite' });
      expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
      expect(output()).toMatch(/Slack and Teams are not configured/);
      expect(fs.existsSync(path.join(cwd, 'data'))).toBe(true);

      // The CLI works beside the server: the server holding the folder runs its command, on the same catalogue.
      const beside = spawnSync(process.execPath, ['--import', TSX, CLI, 'entries', '--json'], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '' },
        timeout: 60_000,
      });
      expect(beside.status).toBe(0);
      expect((JSON.parse(beside.stdout) as unknown[]).length).toBeGreaterThanOrEqual(150);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }

    const list = spawnSync(process.execPath, ['--import', TSX, CLI, 'entries', '--json'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 60_000,
    });
    expect(list.status).toBe(0);
    const entries = JSON.parse(list.stdout) as {
      isDemo: boolean;
      kind: string;
      venue: { ward: string | null } | null;
    }[];
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(entries.every((e) => e.isDemo)).toBe(true);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['activity', 'training', 'resource']));
    expect(new Set(entries.map((e) => e.venue?.ward).filter(Boolean)).size).toBe(20);
  });
});

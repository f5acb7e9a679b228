import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardToServer } from '../../../src/cli/beside-server.ts';
import { cli as cliInProcess } from '../../helpers/run-cli.ts';
import { migratedPgliteFolder } from '../../helpers/test-db.ts';

// A real server (`npm start`) holding an embedded folder, and real CLI processes pointed at the same folder.
const ROOT = path.resolve('.');
const CLI = path.resolve('src/cli/main.ts');
const ICAL = path.resolve('test/fixtures/ical');

type Run = { code: number | null; stdout: string; stderr: string };

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(options.input ?? '');
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

function npmStart(dir: string): Promise<{ child: ChildProcess; exit: Promise<number | null> }> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `pglite:${dir}`, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/running on http:\/\/localhost:\d+/.test(output)) resolve({ child, exit });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

// Each test starts `npm start` (a new process that opens, and maybe seeds, a store) once or twice: on a busy machine
// that alone can take most of the default minute.
describe('the CLI beside a running server on an embedded folder', { timeout: 180_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-beside-'));
  const dir = path.join(root, 'store');
  // Filled from the run's migrated snapshot: creating and migrating a new folder is start.test.ts's.
  beforeAll(() => migratedPgliteFolder(dir));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const env = { DATABASE_URL: `pglite:${dir}` };
  const cli = (args: string[], cwd = ROOT, input?: string) =>
    run(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd, env, ...(input ? { input } : {}) });
  /**
   * What the CLI process does first, in this process: send the command to the server holding the folder. Some
   * commands go through a real process (above), the rest this way, which skips a process's start-up; its code is
   * null when no server holds the folder.
   */
  const forwarded = async (args: string[], cwd = ROOT): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const stdin = new PassThrough();
    stdin.end();
    const code = await forwardToServer(dir, args, {
      stdout: { write: (t: string) => void (stdout += t) },
      stderr: { write: (t: string) => void (stderr += t) },
      stdin,
      cwd,
    });
    return { code, stdout, stderr };
  };

  it('runs every command in the server, on its catalogue, and on its own again once the server has gone', async () => {
    const server = await npmStart(dir);

    // A file named relative to the folder the CLI runs in, and one relative to another folder.
    const first = await cli([
      'import',
      'test/fixtures/ical/nodeical_music-school-weekly-until.ics',
      '--now',
      '2022-06-01T00:00:00Z',
      '--json',
    ]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      source: 'nodeical_music-school-weekly-until',
      created: 1,
      rejected: [],
    });
    const second = await forwarded(
      ['import', 'icaljs_rdate_exdate.ics', '--now', '2024-06-01T00:00:00Z', '--json'],
      ICAL,
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 1 });

    const refused = await forwarded(['import', 'html-sign-in-page-not-ics.ics'], ICAL);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Refused: This is not an iCalendar feed/),
    ]);

    const entries = await forwarded(['entries', '--json']);
    expect(entries.code).toBe(0);
    expect((JSON.parse(entries.stdout) as { title: string }[]).map((e) => e.title).sort()).toEqual([
      'Music School',
      'Untitled event',
    ]);

    // Standard input reaches the server for the chat.
    const chat = await cli(['chat', '--now', '2022-06-01T00:00:00Z'], ROOT, 'music school\nquit\n');
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('> music school');
    expect(chat.stdout).toMatch(/1\. Music School/);

    const bad = await forwarded(['occurrences', '--from', '2027-03-01']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--to/);

    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(fs.existsSync(path.join(dir, 'signpost.cli.json'))).toBe(false);
    const alone = await cli(['entries', '--json']);
    expect(alone.code).toBe(0);
    expect((JSON.parse(alone.stdout) as unknown[]).length).toBe(2);
  });

  it('after the server was killed, the CLI opens the folder itself', async () => {
    const server = await npmStart(dir);
    const holder = JSON.parse(fs.readFileSync(path.join(dir, 'signpost.lock'), 'utf8')) as { pid: number };
    process.kill(holder.pid, 'SIGKILL');
    await server.exit;
    expect(fs.existsSync(path.join(dir, 'signpost.cli.json'))).toBe(true); // left behind, naming a process that is gone
    // As the CLI process does: nothing to forward to, so it opens the folder itself.
    expect((await forwarded(['entries', '--json'])).code).toBeNull();
    const alone = await cliInProcess(env.DATABASE_URL, 'entries', '--json');
    expect(alone.code).toBe(0);
    expect((alone.json() as unknown[]).length).toBe(2);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.ts';
import { silentLogger } from '../../../src/logger.ts';
import { cli } from '../../helpers/run-cli.ts';
import { createPostgresDatabase, STORE_KINDS } from '../../helpers/test-db.ts';

const NOW = '2026-11-30T09:00:00Z';

/** `printf '<lines>' | signpost chat --now …`, in-process. */
async function chat(databaseUrl: string, lines: string[], ...args: string[]) {
  const stdin = new PassThrough();
  stdin.end(lines.map((l) => `${l}\n`).join(''));
  let stdout = '';
  let stderr = '';
  const code = await runCli(['chat', '--now', NOW, ...args], {
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    stdin,
    env: { DATABASE_URL: databaseUrl },
    logger: silentLogger,
  });
  return { code, stdout, stderr };
}

/** The transcript split into the answers to each line typed. */
const answers = (stdout: string) => stdout.split(/\n> .*\n/).slice(1);

describe.each(STORE_KINDS)('terminal chat over the demo catalogue on %s', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'postgres') {
      const db = await createPostgresDatabase();
      url = db.url;
      cleanup = db.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-chat-'));
      url = `pglite:${path.join(dir, 'db')}`;
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    const seeded = await cli(url, 'seed-demo', '--now', NOW);
    expect(seeded.code).toBe(0);
  });
  afterAll(async () => {
    await cleanup();
  });

  it('greets, answers a question, pages with "more", shows details and a share text, then ends at end of input', async () => {
    const run = await chat(url, ['lunch club', 'more', 'details 7', 'share 1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('Welcome to Signpost')).toBe(true);
    expect(run.stdout).toContain('Try asking:');
    expect(run.stdout.trimEnd().endsWith('Goodbye.')).toBe(true);

    const [first, second, details, share] = answers(run.stdout);
    // First page: numbered results with typed hints, small print for demo data.
    expect(first).toMatch(/^\nLunch club\n─+\n/);
    expect(first).toContain('\n1. ');
    expect(first).toContain('[details 1] [share 1]');
    expect(first).toMatch(/Next: \w{3} \d{1,2} \w{3}, \d{2}:\d{2}–\d{2}:\d{2}/);
    expect(first).toContain('Demo data');
    expect(first).toMatch(/\d+ more: type "more"/);
    // Second page continues the numbering.
    expect(second).toContain('\n6. ');
    expect(second).toContain('\n10. ');
    expect(second).toContain('[details 6]');
    // Details of number 7 (from the second page): the fields, with the next dates in plain London time.
    expect(details).toMatch(/\nWhen: +\w{3} \d{1,2} \w{3}/);
    expect(details).toMatch(/\nWhere: /);
    // Share text: plain words, no internal codes.
    expect(share).toContain('Share with resident');
    expect(share).toMatch(/\nWhen: |\nWhere: /);
    expect(share).not.toMatch(/\b(step_free|drop_in|self_referral|referral_needed|older_people|in_person)\b/);
  });

  it('says what it understood when nothing matches, and stops at "quit"', async () => {
    const run = await chat(url, ['zzzqqq xylophone recital', 'quit', 'lunch club']);
    expect(run.code).toBe(0);
    const replies = answers(run.stdout);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.length).toBeGreaterThan(20);
    expect(run.stdout).not.toContain('> lunch club');
  });

  it('explains itself for "help" and a number before any question, and prints --json counts', async () => {
    const run = await chat(url, ['help', '3'], '--json');
    const [help, pick] = answers(run.stdout);
    expect(help).toContain('How to use Signpost');
    expect(pick).toContain('Ask a question first');
    expect(run.stdout).toContain('"answered": 2');
  });
});

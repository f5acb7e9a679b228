import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_FORM_FIELDS } from '../../../src/bots/core/entries/entry-form.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { silentLogger } from '../../../src/logger.ts';
import { cli } from '../../helpers/run-cli.ts';
import { createPostgresDatabase, STORE_KINDS } from '../../helpers/test-db.ts';

const NOW = '2026-11-30T09:00:00Z';

async function chat(databaseUrl: string, lines: string[]) {
  const stdin = new PassThrough();
  stdin.end(lines.map((l) => `${l}\n`).join(''));
  let stdout = '';
  let stderr = '';
  const code = await runCli(['chat', '--now', NOW], {
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    stdin,
    env: { DATABASE_URL: databaseUrl },
    logger: silentLogger,
  });
  return { code, stdout, stderr };
}

/** One answer per form field, in the form's order (Enter for those not given). */
const answersFor = (given: Record<string, string>) => ENTRY_FORM_FIELDS.map((f) => given[f.name] ?? '');

type EntryJson = {
  externalId: string;
  title: string;
  kind: string;
  postcode?: string | null;
  isFree?: boolean;
  categories?: string[];
};

describe.each(STORE_KINDS)('the terminal chat for coordinators on %s', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'postgres') {
      const db = await createPostgresDatabase();
      url = db.url;
      cleanup = db.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-entry-'));
      url = `pglite:${path.join(dir, 'db')}`;
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    expect((await cli(url, 'seed-demo', '--now', NOW)).code).toBe(0);
  });
  afterAll(async () => {
    await cleanup();
  });

  const coordinatorEntries = async () => {
    const listed = await cli(url, 'entries', '--source', 'coordinators', '--json');
    expect(listed.code).toBe(0);
    return listed.json() as EntryJson[];
  };

  it('adds an entry field by field, asking again only for what the checks refused', async () => {
    const kindNumber = String(
      ENTRY_FORM_FIELDS.find((f) => f.name === 'kind')!.options!.findIndex((o) => o.value === 'activity') + 1,
    );
    const run = await chat(url, [
      'add entry',
      ...answersFor({
        title: 'Knitting circle',
        kind: kindNumber,
        postcode: 'nowhere',
        categories: 'craft, social',
        free: '1',
        costAmount: 'three',
      }),
      // The postcode and price were refused: only those two are asked again.
      'NW5 2AB',
      '-',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`1/${ENTRY_FORM_FIELDS.length} Title (required)`);
    expect(run.stdout).toContain('Add an entry: 2 questions follow, one at a time.');
    expect(run.stdout).toContain('Please check the 2 fields marked below; nothing has been saved yet.');
    expect(run.stdout).toContain('! Enter a full UK postcode, e.g. NW5 2AB');
    expect(run.stdout).toContain('! Enter the price in pounds, e.g. 3.50');
    expect(run.stdout).toContain('1/2 Postcode');
    expect(run.stdout).toMatch(/Added “Knitting circle”\. It shows in search results now\./);

    const saved = await coordinatorEntries();
    expect(saved.map((e) => [e.title, e.kind])).toEqual([['Knitting circle', 'activity']]);
    expect(saved[0]!.categories).toEqual(['craft', 'social']);
  });

  it('edits an entry found by its title, keeping what Enter keeps; "cancel" saves nothing', async () => {
    const cancelled = await chat(url, ['edit knitting', 'Knitting and natter', 'cancel']);
    expect(cancelled.stdout).toContain('Nothing saved.');
    expect((await coordinatorEntries()).map((e) => e.title)).toEqual(['Knitting circle']);

    const run = await chat(url, ['edit knitting', ...answersFor({ title: 'Knitting and natter' })]);
    expect(run.stdout).toContain('Edit entry');
    expect(run.stdout).toContain('Enter keeps: Knitting circle');
    expect(run.stdout).toMatch(/Updated “Knitting and natter”/);
    const saved = await coordinatorEntries();
    expect(saved.map((e) => e.title)).toEqual(['Knitting and natter']);
    expect(saved[0]!.categories).toEqual(['craft', 'social']);
  });

  it('has the chat of npm start: coordinators\' gaps and flags, and "report a problem" on a result', async () => {
    const run = await chat(url, ['help', 'gaps', 'flags', 'lunch club', 'details 1']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('add entry, edit part of a title: coordinators add or correct a listing');
    expect(run.stdout).toContain('Unmet needs, last');
    expect(run.stdout).toContain('Reported problems with listings: 0 open');
    expect(run.stdout).toMatch(/\[b\d+: This has closed\]/);
    expect(run.stdout).toMatch(/\[b\d+: Details are wrong\]/);
  });
});

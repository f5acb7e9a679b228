import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Import rules from STYLE.md, checked on the source text (as vercel/chat's boundary tests do).
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return p.includes(`${path.sep}generated`) ? [] : sourceFiles(p);
    return /\.(ts|mts)$/.test(d.name) ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/(?:import\s*\(|require\s*\()\s*['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  return specs;
}

const files = sourceFiles('src').map((f) => ({ file: f.split(path.sep).join('/'), imports: importsOf(f) }));
const resolved = (file: string, spec: string) =>
  spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : spec;

describe('import boundaries', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.imports.includes('botbuilder'))).toBe(true);
  });

  it('only src/bots/teams imports botbuilder', () => {
    const offenders = files.filter(
      (f) => !f.file.startsWith('src/bots/teams/') && f.imports.some((s) => /^botbuilder|^botframework-/.test(s)),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('only src/bots/slack imports @slack/*', () => {
    const offenders = files.filter(
      (f) => !f.file.startsWith('src/bots/slack/') && f.imports.some((s) => s.startsWith('@slack/')),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('src/bots/core imports no platform SDK, no Prisma and no platform adapter', () => {
    const offenders = files.filter(
      (f) =>
        f.file.startsWith('src/bots/core/') &&
        f.imports.some((s) => {
          const target = resolved(f.file, s);
          return (
            /^(@slack\/|botbuilder|botframework-|@prisma\/|prisma$)/.test(s) ||
            /src\/(generated|db)\//.test(target) ||
            /src\/bots\/(slack|teams|terminal)\//.test(target)
          );
        }),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  /** Files under `from` that import anything under one of the `to` folders. */
  const importing = (from: string, to: RegExp, except?: RegExp) =>
    files
      .filter(
        (f) => f.file.startsWith(from) && !except?.test(f.file) && f.imports.some((s) => to.test(resolved(f.file, s))),
      )
      .map((f) => f.file);

  it('src/catalogue never imports src/bots, src/scheduler or the composition root', () => {
    expect(importing('src/catalogue/', /^src\/(bots|scheduler)\//)).toEqual([]);
    expect(importing('src/catalogue/', /^src\/(app|main|chat-conversation)\.ts$/)).toEqual([]);
  });

  it('the Slack and Teams adapters never import each other, and neither imports the terminal chat', () => {
    expect(importing('src/bots/slack/', /^src\/bots\/(teams|terminal)\//)).toEqual([]);
    expect(importing('src/bots/teams/', /^src\/bots\/(slack|terminal)\//)).toEqual([]);
    expect(importing('src/bots/terminal/', /^src\/bots\/(slack|teams)\//)).toEqual([]);
  });

  it('the scheduler never imports an adapter', () => {
    expect(importing('src/scheduler/', /^src\/bots\/(slack|teams|terminal)\//)).toEqual([]);
  });

  it('src/bots/core never imports the scheduler', () => {
    expect(importing('src/bots/core/', /^src\/scheduler\//)).toEqual([]);
  });

  it('the boundary checks see relative imports as the folders they reach', () => {
    expect(resolved('src/scheduler/cron.ts', '../bots/core/ports.ts')).toBe('src/bots/core/ports.ts');
    expect(importing('src/scheduler/', /^src\/bots\/core\//).length).toBeGreaterThan(0);
  });

  it('only src/db and prisma-*.ts import the generated Prisma client or @prisma/client', () => {
    const offenders = files.filter(
      (f) =>
        !f.file.startsWith('src/db/') &&
        !path.posix.basename(f.file).startsWith('prisma-') &&
        f.imports.some((s) => s.startsWith('@prisma/client') || /src\/generated\/prisma/.test(resolved(f.file, s))),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });
});

// SQL text lives only in data-access modules (`*-queries.ts`, one per area) and in src/db; every other file calls
// their named functions. A statement is a string literal that begins with one.
const SQL_STATEMENT =
  /(['"`])\s*(?:SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+(?:\s+\w+)?\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\()/;
const holdsSql = (file: string) => SQL_STATEMENT.test(fs.readFileSync(file, 'utf8'));
const SQL_HOMES = (file: string) => file.startsWith('src/db/') || file.endsWith('-queries.ts');

/** Files whose SQL has still to move into their area's query module. None may be added; each leaves once moved. */
const SQL_STILL_TO_MOVE: string[] = [];

describe('SQL only in query modules', () => {
  it('recognises a statement in a string, and not words in prose', () => {
    expect(SQL_STATEMENT.test('const q = `SELECT id FROM booking`;')).toBe(true);
    expect(SQL_STATEMENT.test("tx.query('DELETE FROM leaflet WHERE expires_at <= $1')")).toBe(true);
    expect(SQL_STATEMENT.test('`UPDATE booking b SET reminder_sent_at = $3`')).toBe(true);
    expect(SQL_STATEMENT.test('`WITH session AS (SELECT 1)`')).toBe(true);
    expect(SQL_STATEMENT.test("const label = 'Update your subscription';")).toBe(false);
    expect(SQL_STATEMENT.test('// SELECT is read by the search')).toBe(false);
  });

  it('no file outside *-queries.ts and src/db holds SQL, but those still to move', () => {
    const offenders = files.filter(
      (f) => !SQL_HOMES(f.file) && !SQL_STILL_TO_MOVE.includes(f.file) && holdsSql(f.file),
    );
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('each file still to move exists and still holds SQL (take it off the list once moved)', () => {
    expect(SQL_STILL_TO_MOVE.filter((f) => !fs.existsSync(f) || !holdsSql(f))).toEqual([]);
  });
});

// The whole store (SQL, transactions, the Prisma client, closing it) is handed out only where objects are built: the
// composition roots. Use cases, the scheduler and the CLI's commands take the SQL seam (`Database`) or a named port;
// adapters take ports (Slack: `CoordinatorEntries`, its record of requests seen).
const STORE_HOLDERS = (file: string) =>
  file.startsWith('src/db/') ||
  file.endsWith('-queries.ts') ||
  [
    'src/app.ts',
    // The conversation with all its features, built for the server (app.ts) and for `signpost chat` alike.
    'src/chat-conversation.ts',
    // The CLI's composition root: opens the store, builds what each command is given, closes it; and its twin in
    // the server, which hands the server's open store to the same runner.
    'src/cli/run-cli.ts',
    'src/cli/beside-server.ts',
  ].includes(file);

/** Whether the file names the `Store` type of src/db/open-store.ts (imported, or narrowed with Pick). */
function namesStore(file: string, text = fs.readFileSync(file, 'utf8')): boolean {
  if (/\bPick<\s*Store\b/.test(text)) return true;
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    const names = m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, ''));
    if (names.includes('Store') && /src\/db\/open-store\.ts$/.test(resolved(file, m[2]!))) return true;
  }
  return false;
}

describe('the Store only where objects are built', () => {
  it('recognises the Store named by an import or a Pick', () => {
    const file = 'src/scheduler/x.ts';
    expect(namesStore(file, "import type { Store } from '../db/open-store.ts';")).toBe(true);
    expect(namesStore(file, "import { openStore, type Store } from '../db/open-store.ts';")).toBe(true);
    expect(namesStore(file, 'function f(s: Pick<Store, "sql">) {}')).toBe(true);
    expect(namesStore(file, "import type { Database } from '../db/sql.ts';")).toBe(false);
    expect(namesStore(file, "import type { LeafletStore } from './shortlist-store.ts';")).toBe(false);
    expect(namesStore('src/app.ts')).toBe(true);
    expect(namesStore('src/bots/slack/slack-app.ts')).toBe(false);
  });

  it('no file outside src/db, query modules and the composition roots names the Store', () => {
    const offenders = files.filter((f) => !STORE_HOLDERS(f.file) && namesStore(f.file));
    expect(offenders.map((f) => f.file)).toEqual([]);
  });
});

// Nothing in the repository may read outside it: a fresh clone with nothing beside it must run and test as it is.
const ROOT = path.resolve('.');
const SCANNED = ['src', 'test', 'bench', 'scripts'];
const CODE = /\.(?:[cm]?ts|[cm]?js|sh)$/;
const TEXT = /\.(?:[cm]?ts|[cm]?js|sh|json|md|csv|ics|txt|ya?ml|html|css|sql)$/;

function textFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || p === path.join('src', 'generated') ? [] : textFiles(p);
    return TEXT.test(d.name) ? [p.split(path.sep).join('/')] : [];
  });
}

const escapes = (target: string) => {
  const rel = path.relative(ROOT, target);
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
};
// A relative path given to these is read from the working directory (the repository root for npm scripts and vitest).
const FROM_CWD =
  /(?:\bpath\.resolve\s*\(\s*|\b(?:path\.)?(?:resolve|join)\s*\(\s*process\.cwd\(\)\s*,\s*|\b(?:readFileSync|readdirSync|existsSync|statSync|createReadStream|readFile|readdir|stat|open|cp|cpSync|copyFileSync)\s*\(\s*)$/;

/**
 * The read-only material kept beside the repository, named by any number of "../" steps. The folder's name is
 * spelled in two parts so that this file does not name it itself.
 */
const SIBLING_FOLDER = new RegExp(
  String.raw`(?:^|[^\w./-])((?:\.\.\/)+${'sha' + 'red'}(?:\/[^\s'"\u0060)\],]*)?)`,
  'g',
);

/** Paths in `text` (the file `file`, relative to the repository root) that point outside the repository. */
function outsideReferences(file: string, text: string): string[] {
  const found: string[] = [];
  // Named anywhere, comments included: the folders beside the repository, and absolute paths on this machine.
  for (const m of text.matchAll(SIBLING_FOLDER)) found.push(m[1]!);
  for (const m of text.matchAll(/(?:^|[^\w.:/-])(\/(?:work|home|Users|root)\/[^\s'"`)\]]*)/g)) found.push(m[1]!);
  if (CODE.test(file)) {
    // Relative path literals, resolved as the code would: from the file's folder (imports, new URL(…, import.meta.url))
    // or from the working directory (path.resolve, fs calls, shell scripts, which run from the root).
    for (const m of text.matchAll(/(['"`])(\.\.(?:\/[^'"`\n$]*)?)\1/g)) {
      const literal = m[2]!;
      const fromCwd = file.endsWith('.sh') || FROM_CWD.test(text.slice(Math.max(0, m.index - 60), m.index));
      const target = path.resolve(fromCwd ? ROOT : path.dirname(path.resolve(ROOT, file)), literal);
      if (escapes(target)) found.push(literal);
    }
  }
  return [...new Set(found)];
}

describe('the repository is self-contained', () => {
  it('recognises paths that leave the repository, and only those', () => {
    // Written with {up} for "../", {abs} for a folder of this machine and {sib} for the sibling folder's name, so that
    // this file refers to nothing outside.
    const abs = ['', 'work', ''].join('/');
    const sib = 'sha' + 'red';
    const check = (file: string, text: string) =>
      outsideReferences(file, text.replaceAll('{up}', '../').replaceAll('{abs}', abs).replaceAll('{sib}', sib)).map(
        (r) => r.replaceAll('../', '{up}').replaceAll(abs, '{abs}').replaceAll(sib, '{sib}'),
      );
    expect(check('test/unit/a/b.test.ts', "const HSDS = path.resolve('{up}{sib}/data/hsds');")).toEqual([
      '{up}{sib}/data/hsds',
    ]);
    expect(check('test/unit/a/b.test.ts', "new URL('{up}{up}{up}{up}elsewhere/x.ics', import.meta.url)")).toEqual([
      '{up}{up}{up}{up}elsewhere/x.ics',
    ]);
    expect(check('test/unit/a/b.test.ts', "readFileSync('{up}x.csv')")).toEqual(['{up}x.csv']);
    expect(check('src/a.ts', '// see {up}{sib}/research/notes.md')).toEqual(['{up}{sib}/research/notes.md']);
    expect(check('test/fixtures/x.json', '{"file": "{abs}{sib}/data/ical/a.ics"}')).toEqual([
      '{abs}{sib}/data/ical/a.ics',
    ]);
    expect(check('scripts/x.sh', 'cp "{up}data/a" .')).toEqual(['{up}data/a']);
    expect(check('test/unit/a/b.test.ts', "import { x } from '{up}{up}{up}src/x.ts';")).toEqual([]);
    expect(
      check(
        'test/unit/a/b.test.ts',
        "new URL('{up}{up}fixtures/ical/', import.meta.url); path.resolve('test/fixtures/hsds')",
      ),
    ).toEqual([]);
    expect(check('src/a.ts', "fetch('https://example.org{abs}{sib}/'); const name = '{up}cancel.ics';")).toEqual([]);
  });

  it(`no file in ${SCANNED.join(', ')} refers to a path outside the repository`, () => {
    const files = SCANNED.flatMap((dir) => textFiles(dir));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) =>
      outsideReferences(file, fs.readFileSync(file, 'utf8')).map((ref) => `${file}: ${ref}`),
    );
    expect(offenders).toEqual([]);
  });
});

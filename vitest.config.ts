import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

const TESTS = 'test/**/*.test.ts';

/**
 * Test files that load nock, directly or through a helper under test/helpers. Nock replaces Node's HTTP client for
 * the whole process while it is active: test/helpers/setup.ts turns it on for these files only and off again after
 * them, so every file shares its worker's module cache with the files before it (no new process, module graph,
 * Prisma client or PGlite build per file).
 */
function nockUsers(): string[] {
  const imports = (file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    return [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
  };
  const helpersDir = 'test/helpers';
  const helpers = fs.readdirSync(helpersDir).filter((f) => f.endsWith('.ts'));
  const loadsNock = new Set<string>();
  // A helper loads nock if it imports it or a helper that does; repeat until nothing new is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of helpers) {
      if (loadsNock.has(h)) continue;
      const deps = imports(path.join(helpersDir, h));
      if (deps.some((d) => d === 'nock' || (d.startsWith('.') && loadsNock.has(path.basename(d))))) {
        loadsNock.add(h);
        grew = true;
      }
    }
  }
  return fs
    .readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test', f))
    .filter((file) =>
      imports(file).some((d) => d === 'nock' || (d.includes('/helpers/') && loadsNock.has(path.basename(d)))),
    );
}

const nockFiles = nockUsers().map((f) => path.resolve(f));

/**
 * The slowest files, slowest first (from a run's report: `TEST_REPORT=<file> npm test`). They start before the rest,
 * so that the two workers end together instead of one running a long file alone at the end. A file missing here is
 * only started later; the list never leaves a file out.
 */
const SLOW_FIRST = [
  'integration/catalogue/search-relevance.test.ts',
  'integration/server/lifecycle.test.ts',
  'integration/db/store.test.ts',
  'integration/db/pglite-snapshot.test.ts',
  'integration/cli/catalogue-commands.test.ts',
  'integration/catalogue/search-relevance-real.test.ts',
  'integration/insights/insights.test.ts',
  'integration/catalogue/hsds-import.test.ts',
  'integration/catalogue/import.test.ts',
  'integration/catalogue/bulk-import.test.ts',
  'integration/server/cli-beside-server.test.ts',
  'integration/pages/listing-pages.test.ts',
  'integration/bots/shortlist-chat.test.ts',
  'integration/server/start.test.ts',
  'integration/catalogue/derived-facets.test.ts',
  'integration/catalogue/export-roundtrip.test.ts',
  'integration/cli/urgent-help.test.ts',
  'integration/outcomes/trust-and-follow-ups.test.ts',
  'integration/catalogue/search.test.ts',
].map((f) => path.resolve('test', f));

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rest = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(path.resolve(spec.moduleId));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // Array sort is stable: the rest keep the base sequencer's order.
    return rest.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    include: [TESTS],
    isolate: false,
    provide: { nockFiles },
    sequence: { sequencer: SlowFirst },
  },
});

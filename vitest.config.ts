import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const TESTS = 'test/**/*.test.ts';

/**
 * Test files that load nock, directly or through a helper under test/helpers. Nock replaces Node's HTTP client for
 * the whole process, so these files each run in a new process; every other file shares its worker's module cache
 * with the files before it (no new module graph, Prisma client or PGlite build per file).
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

const isolated = nockUsers();

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'shared', include: [TESTS], exclude: isolated, isolate: false } },
      { extends: true, test: { name: 'isolated', include: isolated } },
    ],
  },
});

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
const resolved = (file: string, spec: string) => (spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : spec);

describe('import boundaries', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.imports.includes('botbuilder'))).toBe(true);
  });

  it('only src/bots/teams imports botbuilder', () => {
    const offenders = files.filter((f) => !f.file.startsWith('src/bots/teams/') && f.imports.some((s) => /^botbuilder|^botframework-/.test(s)));
    expect(offenders.map((f) => f.file)).toEqual([]);
  });

  it('only src/bots/slack imports @slack/*', () => {
    const offenders = files.filter((f) => !f.file.startsWith('src/bots/slack/') && f.imports.some((s) => s.startsWith('@slack/')));
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

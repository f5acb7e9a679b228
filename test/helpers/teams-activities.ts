import fs from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve('test/fixtures/teams');
const SHARED = path.resolve('../shared/data/platform/teams');

/** A Teams activity fixture (ours or Microsoft's docs sample in ../shared), pointed at a local connector. */
export function teamsActivity(name: string, serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const file = name.startsWith('msteams-docs_') ? path.join(SHARED, name) : path.join(FIXTURES, name);
  const activity = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return { ...activity, serviceUrl, ...overrides };
}

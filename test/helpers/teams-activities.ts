import fs from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve('test/fixtures/teams');

/** A Teams activity fixture (ours, or one of Microsoft's docs samples beside them), pointed at a local connector. */
export function teamsActivity(
  name: string,
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const activity = JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
  return { ...activity, serviceUrl, ...overrides };
}

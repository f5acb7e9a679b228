import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStore } from '../../src/db/open-store.ts';

/** The migrated template database's name: one per test project, as each project runs its own global set-up. */
export const templateDatabase = (project: string) => `signpost_template_${project.replace(/\W/g, '_')}`;

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDumpFile: string;
    postgresTemplateUrl: string | null;
    /** The test files that use nock (absolute paths), from vitest.config.ts. */
    nockFiles: string[];
  }
}

/**
 * Migrates once per run of a test project: a PGlite snapshot for every test file to clone, and a PostgreSQL template
 * database.
 */
export default async function setup(project: TestProject) {
  const templateDb = templateDatabase(project.name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-test-'));
  const store = await openStore({ kind: 'pglite', dir: null });
  const dump = await store.dump!();
  await store.close();
  const dumpFile = path.join(dir, 'migrated.tar');
  fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDumpFile', dumpFile);

  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateDb}`);
    await admin.query(`CREATE DATABASE ${templateDb}`);
    await admin.end();
    const templateUrl = withDatabase(serverUrl, templateDb);
    const pgStore = await openStore({ kind: 'postgres', url: templateUrl });
    await pgStore.close();
    project.provide('postgresTemplateUrl', templateUrl);
  } else {
    if (process.env.CI) throw new Error('TEST_POSTGRES_URL is not set: CI must run the tests on PostgreSQL too.');
    project.provide('postgresTemplateUrl', null);
  }
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

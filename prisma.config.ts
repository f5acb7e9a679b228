// Lets the Prisma CLI (`generate`, `migrate diff`) run with its JavaScript engine and no downloads.
// Migrations are applied by src/db/migrate.ts, one runner for PGlite and PostgreSQL.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

// The schema names env("DATABASE_URL"); the CLI only needs it to resolve, and our own values (unset, pglite:…) are
// not PostgreSQL URLs.
if (!process.env.DATABASE_URL?.startsWith('postgres')) process.env.DATABASE_URL = 'postgresql://localhost/signpost';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // pglite-prisma-adapter bundles its own copy of Prisma's adapter types; the shapes agree at run time.
  adapter: async () => new PrismaPGlite(new PGlite()) as never,
});

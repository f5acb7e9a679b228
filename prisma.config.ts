// Lets the Prisma CLI (generate, migrate diff) run with its JavaScript engine and no downloads.
// Migrations are applied by src/db/migrate.ts, the same runner for PGlite and PostgreSQL.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma/config';

// The schema names env("DATABASE_URL"); the CLI only needs it to resolve (connections go through the adapter),
// and our own URLs (unset, pglite:…) are not PostgreSQL URLs.
if (!process.env.DATABASE_URL?.startsWith('postgres')) process.env.DATABASE_URL = 'postgresql://localhost/signpost';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return new PrismaPGlite(new PGlite());
  },
});

import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { PgliteProxy } from './pglite-proxy.ts';

export type { PrismaClient };

export function createPglitePrismaClient(db: PgliteProxy): PrismaClient {
  // pglite-prisma-adapter 0.6 pins an older copy of Prisma's adapter types; the interface it implements is the same.
  // It calls PGlite's query (with rowMode and parsers), exec and transaction, which the worker's proxy provides.
  const adapter = new PrismaPGlite(
    db as unknown as ConstructorParameters<typeof PrismaPGlite>[0],
  ) as unknown as PrismaPg;
  return new PrismaClient({ adapter });
}

export function createPostgresPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

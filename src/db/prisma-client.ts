import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient };

export function createPglitePrismaClient(db: PGlite): PrismaClient {
  // pglite-prisma-adapter 0.6 pins an older copy of Prisma's adapter types; the interface it implements is the same.
  const adapter = new PrismaPGlite(db) as unknown as PrismaPg;
  return new PrismaClient({ adapter });
}

export function createPostgresPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient };

export function createPglitePrismaClient(db: PGlite): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPGlite(db) });
}

export function createPostgresPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamsConversationRecord } from '../../../src/bots/teams/conversation-refs.ts';
import { UNCHANGED_REF_REWRITE_MINUTES } from '../../../src/bots/teams/conversation-ref-queries.ts';
import { createPrismaConversationRefs } from '../../../src/bots/teams/prisma-conversation-refs.ts';
import { fixedClock } from '../../../src/clock.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const record = (conversationId: string, teamId?: string): TeamsConversationRecord => ({
  conversationId,
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  kind: teamId ? 'channel' : 'personal',
  ...(teamId ? { teamId, channelId: conversationId } : {}),
  reference: {
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/uk/',
    bot: { id: '28:bot', name: 'Signpost' },
    conversation: { id: conversationId, tenantId: 'tenant-1' },
  },
});

describe.each(STORE_KINDS)('Teams conversation references on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });

  it('saves, updates in place, reads back and forgets per conversation and per team', async () => {
    const first = createPrismaConversationRefs(store, fixedClock(new Date('2026-11-01T09:00:00Z')));
    await first.save(record('a:personal'));
    await first.save(record('19:general@thread.tacv2', '19:team'));
    await first.save(record('19:other@thread.tacv2', '19:team'));

    const later = createPrismaConversationRefs(store, fixedClock(new Date('2026-11-20T09:00:00Z')));
    await later.save({ ...record('a:personal'), serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    expect(await later.get('a:personal')).toEqual({
      ...record('a:personal'),
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
    });
    const row = await store.prisma.teamsConversationRef.findUniqueOrThrow({ where: { conversationId: 'a:personal' } });
    expect(row.installedAt.toISOString()).toBe('2026-11-01T09:00:00.000Z');
    expect(row.updatedAt.toISOString()).toBe('2026-11-20T09:00:00.000Z');

    expect(await later.removeTeam('19:team')).toBe(2);
    expect(await later.remove('a:personal')).toBe(1);
    expect(await later.remove('a:personal')).toBe(0);
    expect(await later.get('a:personal')).toBeNull();
  });

  it('leaves an unchanged reference as it is for a while, writes a changed or removed one at once', async () => {
    let now = new Date('2026-11-01T09:00:00Z').getTime();
    const refs = createPrismaConversationRefs(store, { now: () => new Date(now) });
    const updatedAt = async () =>
      (
        await store.prisma.teamsConversationRef.findUniqueOrThrow({ where: { conversationId: 'b:personal' } })
      ).updatedAt.getTime();
    await refs.save(record('b:personal'));
    const first = now;
    now += 60_000;
    await refs.save(record('b:personal'));
    expect(await updatedAt()).toBe(first);

    await refs.save({ ...record('b:personal'), serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    expect(await updatedAt()).toBe(now);
    expect((await refs.get('b:personal'))?.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');

    expect(await refs.remove('b:personal')).toBe(1);
    await refs.save(record('b:personal'));
    expect(await refs.get('b:personal')).toEqual(record('b:personal'));

    const saved = now;
    now += UNCHANGED_REF_REWRITE_MINUTES * 60_000 + 1;
    await refs.save(record('b:personal'));
    expect(await updatedAt()).toBe(now);
    expect(now).toBeGreaterThan(saved);
  });
});

import http from 'node:http';
import { createConversation } from '../src/bots/core/conversation.ts';
import { BUSY_TEXT } from '../src/bots/core/work-queue.ts';
import type { ConversationRefs, TeamsConversationRecord } from '../src/bots/teams/conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH } from '../src/bots/teams/server.ts';
import { seedDemo } from '../src/catalogue/demo/seed-demo.ts';
import { createDatabaseSearch } from '../src/catalogue/search/database-search.ts';
import { systemClock } from '../src/clock.ts';
import { openStore } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { silentLogger } from '../src/logger.ts';
import { type Figure, fmt, percentile, table } from './stats.ts';

const QUESTIONS = [
  'lunch club near Kentish Town on Tuesdays',
  'befriending for a lonely older man',
  'chair exercise NW5',
  'dementia cafe this week',
  'MECC training',
];

/**
 * Teams under load: 200 concurrent personal messages through the real CloudAdapter (Emulator mode, loopback only)
 * against the demo catalogue; each counts from the POST to its reply arriving at a local stand-in for the connector.
 */
export async function benchTeams(): Promise<Figure[]> {
  const count = Number(process.env.BENCH_TEAMS_MESSAGES ?? 200);
  console.log(`\n## Teams: ${count} concurrent messages (demo catalogue, embedded store, Emulator mode on loopback)\n`);
  const store = await openStore({ kind: 'pglite', dir: null });
  await seedDemo(store, systemClock.now());
  const replies = new Map<string, number>();
  /** Turns answered "busy, try again" (past the queue's wait budget): not an answer, counted apart. */
  const busy = new Set<string>();
  const connector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw || '{}') as { type?: string; replyToId?: string };
      if (body.type === 'message' && body.replyToId) {
        replies.set(body.replyToId, performance.now());
        if (raw.includes(BUSY_TEXT)) busy.add(body.replyToId);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
    });
  });
  const serviceUrl = `http://127.0.0.1:${await listen(connector, 0, '127.0.0.1')}/`;
  const refs: ConversationRefs = {
    save: async (_r: TeamsConversationRecord) => {},
    get: async () => null,
    remove: async () => 0,
    removeTeam: async () => 0,
  };
  const conversation = createConversation({
    search: createDatabaseSearch(store),
    clock: systemClock,
    logger: silentLogger,
  });
  const endpoint = createTeamsEndpoint({ credentials: null, emulator: true, conversation, refs, logger: silentLogger });
  const server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${TEAMS_PATH}`;

  const send = async (i: number): Promise<{ status: number; ms: number }> => {
    const id = `bench-${i}`;
    const activity = {
      type: 'message',
      id,
      text: QUESTIONS[i % QUESTIONS.length],
      channelId: 'msteams',
      serviceUrl,
      from: {
        id: `29:user-${i}`,
        name: 'Bench',
        aadObjectId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      },
      conversation: { conversationType: 'personal', tenantId: 't1', id: `a:bench-${i}` },
      recipient: { id: '28:bot', name: 'Signpost' },
      channelData: { tenant: { id: 't1' } },
      locale: 'en-GB',
    };
    const start = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await res.text();
    const until = Date.now() + 60_000;
    while (!replies.has(id) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    return { status: replies.has(id) ? res.status : 0, ms: (replies.get(id) ?? performance.now()) - start };
  };
  try {
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(-1 - i))); // warm-up, not counted
    const results = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
    const times = results.map((r) => r.ms);
    const errors = results.filter((r) => r.status !== 200).length;
    const busyCount = Array.from({ length: count }, (_, i) => `bench-${i}`).filter((id) => busy.has(id)).length;
    console.log(
      table(
        ['messages', 'errors', 'busy', 'reply p50 ms', 'reply p95 ms', 'reply p99 ms', 'reply max', 'target'],
        [
          [
            count,
            errors,
            busyCount,
            fmt(percentile(times, 50)),
            fmt(percentile(times, 95)),
            fmt(percentile(times, 99)),
            fmt(Math.max(...times)),
            'no errors or busy, p99 ≤ 5,000 ms',
          ],
        ],
      ),
    );
    return [
      { name: 'teams reply p95 ms', value: percentile(times, 95) },
      { name: 'teams reply p99 ms', value: percentile(times, 99) },
      { name: 'teams reply max ms', value: Math.max(...times) },
      { name: 'teams errors', value: errors },
      { name: 'teams busy', value: busyCount },
    ];
  } finally {
    await new Promise((r) => server.close(r));
    await new Promise((r) => connector.close(r));
    await store.close();
  }
}

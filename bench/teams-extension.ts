import { createConversation } from '../src/bots/core/conversation.ts';
import type { ConversationRefs } from '../src/bots/teams/conversation-refs.ts';
import { SEARCH_COMMAND_ID, SEARCH_PARAMETER } from '../src/bots/teams/message-extension.ts';
import { createTeamsEndpoint, TEAMS_PATH } from '../src/bots/teams/server.ts';
import { listingPageUrl } from '../src/catalogue/pages/listing-url.ts';
import { createDatabaseSearch } from '../src/catalogue/search/database-search.ts';
import { withUrgentHelp } from '../src/catalogue/search/urgent-help.ts';
import { fixedClock } from '../src/clock.ts';
import { openStore } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { silentLogger } from '../src/logger.ts';
import { BENCH_QUERIES, generateCatalogue } from './search.ts';
import { fmt, percentile, table, timeIt } from './stats.ts';

const NOW = new Date('2026-11-23T09:00:00Z');
const PUBLIC_URL = 'https://signpost.example.org';

/** What Teams sends while someone types: the first words, then more of them (one query per pause). */
function typed(question: string): string[] {
  const words = question.split(' ');
  return [...new Set([Math.min(2, words.length), words.length].map((n) => words.slice(0, n).join(' ')))];
}

/**
 * The Teams message extension on a generated 50,000-entry catalogue (embedded store): `composeExtension/query`
 * invokes through the real Bot Framework endpoint (Emulator mode, loopback), timed from the POST to the whole
 * answer (cards and previews for 25 results), one at a time and eight at once; then `composeExtension/queryLink`.
 */
export async function benchTeamsExtension(): Promise<void> {
  const size = Number(process.env.BENCH_EXTENSION_ENTRIES ?? 50_000);
  console.log(
    `\n## Teams message extension (${fmt(size)} generated entries, embedded store, Emulator mode on loopback)\n`,
  );
  const store = await openStore({ kind: 'pglite', dir: null });
  await generateCatalogue(store, size);
  const clock = fixedClock(NOW);
  const search = withUrgentHelp(createDatabaseSearch(store));
  const refs: ConversationRefs = {
    save: async () => {},
    get: async () => null,
    remove: async () => 0,
    removeTeam: async () => 0,
  };
  const endpoint = createTeamsEndpoint({
    credentials: null,
    emulator: true,
    conversation: createConversation({ search, clock, logger: silentLogger }),
    refs,
    logger: silentLogger,
    extension: { search, clock, logger: silentLogger, publicUrl: PUBLIC_URL },
  });
  const server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${TEAMS_PATH}`;

  let cards = 0;
  const invoke = async (name: string, value: object): Promise<{ ms: number; ok: boolean }> => {
    const activity = {
      type: 'invoke',
      name,
      id: `bench-${Math.random()}`,
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/',
      from: { id: '29:bench', aadObjectId: '00000000-0000-0000-0000-000000000001' },
      conversation: { conversationType: 'groupChat', tenantId: 't1', id: '19:bench@thread.v2' },
      recipient: { id: '28:bot', name: 'Signpost' },
      channelData: { tenant: { id: 't1' } },
      value,
    };
    const { ms, value: ok } = await timeIt(async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const body = (await res.json()) as { composeExtension?: { attachments?: unknown[] } };
      cards += body.composeExtension?.attachments?.length ?? 0;
      return res.status === 200 && (body.composeExtension?.attachments?.length ?? 0) > 0;
    });
    return { ms, ok };
  };
  const query = (text: string) =>
    invoke('composeExtension/query', {
      commandId: SEARCH_COMMAND_ID,
      parameters: [{ name: SEARCH_PARAMETER, value: text }],
      queryOptions: { skip: 0, count: 25 },
    });

  try {
    const texts = BENCH_QUERIES.flatMap(typed);
    for (const t of texts.slice(0, 10)) await query(t); // warm-up, not counted
    cards = 0;
    const one: { ms: number; ok: boolean }[] = [];
    for (let round = 0; round < 2; round++) for (const t of texts) one.push(await query(t));
    const eight: { ms: number; ok: boolean }[] = [];
    for (let i = 0; i < texts.length; i += 8) eight.push(...(await Promise.all(texts.slice(i, i + 8).map(query))));
    const queryCards = cards;
    const { rows } = await store.sql.query<{ id: string }>(
      `SELECT id::text AS id FROM service WHERE status = 'active' AND removed_at IS NULL ORDER BY id LIMIT 100`,
    );
    const links: { ms: number; ok: boolean }[] = [];
    for (const r of rows)
      links.push(await invoke('composeExtension/queryLink', { url: listingPageUrl(PUBLIC_URL, r.id) }));

    const row = (label: string, runs: { ms: number; ok: boolean }[]) => {
      const ms = runs.map((r) => r.ms);
      return [
        label,
        runs.length,
        runs.filter((r) => !r.ok).length,
        fmt(percentile(ms, 50)),
        fmt(percentile(ms, 95)),
        fmt(Math.max(...ms)),
        '≤ 1,000 (Teams gives up at 5,000)',
      ];
    };
    console.log(
      table(
        ['invoke', 'requests', 'errors', 'p50 ms', 'p95 ms', 'max ms', 'target p95 ms'],
        [row('query, one at a time', one), row('query, eight at once', eight), row('queryLink (link preview)', links)],
      ),
    );
    console.log(
      `\n${texts.length} typed queries (the first two words, then the whole of ${BENCH_QUERIES.length} staff questions), up to 25 cards`,
    );
    console.log(
      `each (${fmt(queryCards / (one.length + eight.length), 1)} on average); an answer without a card counts as an error.`,
    );
  } finally {
    await new Promise((r) => server.close(r));
    await store.close();
  }
}

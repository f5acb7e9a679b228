import { createHmac } from 'node:crypto';
import http from 'node:http';
import { createConversation } from '../src/bots/core/conversation.ts';
import { createSlackApp, SLACK_EVENTS_PATH } from '../src/bots/slack/slack-app.ts';
import { seedDemo } from '../src/catalogue/demo/seed-demo.ts';
import { createDatabaseSearch } from '../src/catalogue/search/database-search.ts';
import { systemClock } from '../src/clock.ts';
import { openStore } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { silentLogger } from '../src/logger.ts';
import { type Figure, fmt, percentile, table } from './stats.ts';
import { createSeenRequests } from '../src/bots/slack/request-guard.ts';
import { coordinatorEntries } from '../src/catalogue/manual-entries.ts';

const SECRET = '0123456789abcdef0123456789abcdef';
const QUESTIONS = [
  'lunch club near Kentish Town on Tuesdays',
  'befriending for a lonely older man',
  'chair exercise NW5',
  'dementia cafe this week',
  'free things in Kilburn tomorrow morning',
  'Bengali speaking women group',
  'MECC training',
  'mental health first aid course',
  'step-free coffee morning Camden Town',
  'carers support online',
];

/**
 * Slack ack latency: rounds of 20 concurrent signed /signpost commands against the demo catalogue, through the real
 * Bolt receiver on the shared server. Ack = the HTTP answer; reply = the answer arriving at response_url (a local
 * stand-in, as SLACK_API_URL would point the Web API at), so the reply figures include the search.
 */
export async function benchSlackAck(): Promise<Figure[]> {
  console.log('\n## Slack: ack and reply latency, 20 concurrent slash commands (demo catalogue, embedded store)\n');
  const store = await openStore({ kind: 'pglite', dir: null });
  await seedDemo(store, systemClock.now());
  const replies = new Map<string, number>();
  const busy = new Set<string>();
  const standIn = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (Buffer.concat(chunks).toString('utf8').includes('Signpost is busy right now')) busy.add(req.url ?? '');
      replies.set(req.url ?? '', performance.now());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  const standInPort = await listen(standIn, 0, '127.0.0.1');
  const conversation = createConversation({
    search: createDatabaseSearch(store),
    clock: systemClock,
    logger: silentLogger,
  });
  const slack = createSlackApp({
    config: {
      botToken: 'xoxb-bench',
      signingSecret: SECRET,
      appToken: null,
      apiUrl: `http://127.0.0.1:${standInPort}/api/`,
      coordinatorUserIds: [],
      coordinatorUsergroup: null,
    },
    conversation,
    entries: coordinatorEntries(store),
    seenRequests: createSeenRequests(store.sql),
    clock: systemClock,
    logger: silentLogger,
    identity: { botId: 'B1', botUserId: 'U1' },
  });
  const server = createHttpServer(new Map([[SLACK_EVENTS_PATH, slack.route!]]), silentLogger);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${SLACK_EVENTS_PATH}`;

  const send = async (i: number): Promise<{ ack: number; reply: number }> => {
    const path = `/respond/${i}`;
    const body = new URLSearchParams({
      team_id: 'T1',
      channel_id: 'C1',
      user_id: `U${i}`,
      command: '/signpost',
      text: QUESTIONS[i % QUESTIONS.length]!,
      response_url: `http://127.0.0.1:${standInPort}${path}`,
      trigger_id: '1.2.3',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const start = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
      body,
    });
    await res.text();
    const ack = performance.now() - start;
    if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
    const until = Date.now() + 30_000;
    while (!replies.has(path) && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    const replied = replies.get(path);
    if (replied === undefined) throw new Error('no reply at response_url');
    return { ack, reply: replied - start };
  };

  const acks: number[] = [];
  const answers: number[] = [];
  const rounds = 6;
  for (let round = 0; round < rounds; round++) {
    replies.clear();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => send(round * 20 + i)));
    // The first round warms up the search and the JIT; it is not counted.
    if (round === 0) continue;
    for (const r of results) {
      acks.push(r.ack);
      answers.push(r.reply);
    }
  }
  console.log(
    table(
      [
        'requests',
        'ack p50 ms',
        'ack p99 ms',
        'ack max',
        'reply p50 ms',
        'reply p95 ms',
        'reply p99 ms',
        'reply max',
        'target',
      ],
      [
        [
          acks.length,
          fmt(percentile(acks, 50), 1),
          fmt(percentile(acks, 99), 1),
          fmt(Math.max(...acks), 1),
          fmt(percentile(answers, 50)),
          fmt(percentile(answers, 95)),
          fmt(percentile(answers, 99)),
          fmt(Math.max(...answers)),
          'ack p99 < 300 ms',
        ],
      ],
    ),
  );

  // A burst of 200 at once: every command answered through response_url, a busy reply beyond capacity.
  replies.clear();
  busy.clear();
  const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => send(10_000 + i)));
  const burstReplies = burst.map((r) => r.reply);
  console.log(
    `\n200 concurrent commands: all answered; reply p50 ${fmt(percentile(burstReplies, 50))} ms, p95 ${fmt(percentile(burstReplies, 95))} ms, ` +
      `slowest ${fmt(Math.max(...burstReplies))} ms; ${busy.size} told "busy, try again in a minute" (target: all within 10 s, p95 ≤ 5 s).`,
  );
  await new Promise((r) => server.close(r));
  await new Promise((r) => standIn.close(r));
  await store.close();
  return [
    { name: 'slack ack p99 ms', value: percentile(acks, 99) },
    { name: 'slack ack max ms', value: Math.max(...acks) },
    { name: 'slack reply (with search) p95 ms', value: percentile(answers, 95) },
    { name: 'slack reply (with search) p99 ms', value: percentile(answers, 99) },
    { name: 'slack reply (with search) max ms', value: Math.max(...answers) },
    { name: 'slack 200-burst reply p95 ms', value: percentile(burstReplies, 95) },
  ];
}

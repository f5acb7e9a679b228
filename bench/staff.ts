import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../src/app.ts';
import { SLACK_EVENTS_PATH } from '../src/bots/slack/slack-app.ts';
import { TEAMS_PATH } from '../src/bots/teams/server.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { openStore, type Store } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { silentLogger } from '../src/logger.ts';
import { BENCH_QUERIES, generateCatalogue } from './search.ts';
import { openThrowawayDatabase } from './server-db.ts';
import { type Figure, fmt, percentile, table } from './stats.ts';

const SECRET = '0123456789abcdef0123456789abcdef';
const ENTRIES = Number(process.env.BENCH_STAFF_ENTRIES ?? 20_000);
const STAFF = Number(process.env.BENCH_STAFF ?? 50);
/** Questions each member of staff asks, one after another (a closed loop: the next once the answer is in). */
const QUESTIONS_EACH = Number(process.env.BENCH_STAFF_QUESTIONS ?? 6);
/** The whole run on one store stops asking after this long, whatever is left. */
const BUDGET_MS = 90_000;
const REPLY_TIMEOUT_MS = 30_000;
/** BENCH_STAFF_PROFILE=<folder>: a CPU profile of the app's thread while the staff ask (not the set-up), per store. */
const PROFILE_DIR = process.env.BENCH_STAFF_PROFILE;

/** The event loop's delay while the staff asked (ms), and this process's CPU time per answer (all its threads). */
type LoopDelay = { p99: number; max: number; cpuMsPerAnswer: number };

type Sample = {
  platform: 'slack' | 'teams';
  ack: number;
  reply: number | null;
  busy: boolean;
  /** The request failed (a connection reset, a status other than 200): what went wrong, counted, never thrown. */
  error?: string;
};

/**
 * The whole app on loopback (createApp: Slack's Bolt receiver, Teams' CloudAdapter in Emulator mode, /healthz, the
 * shared search queue) over a generated catalogue, with 50 members of staff asking at once: half through signed
 * Slack slash commands (the answer arrives at a local response_url stand-in), half as Teams personal messages (the
 * answer arrives at a local connector stand-in). Every figure counts from the request to the answer arriving, so it
 * includes the search. Runs on embedded PGlite, and on PostgreSQL when BENCH_DATABASE_URL is set.
 */
export async function benchStaff(): Promise<Figure[]> {
  const load = os.loadavg();
  console.log(
    `\n## Staff at once: ${STAFF} (half Slack, half Teams), ${fmt(ENTRIES)} entries, ${QUESTIONS_EACH} questions each, whole app on loopback\n`,
  );
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const stores: { name: string; open(): Promise<{ store: Store; drop(): Promise<void> }> }[] = [
    {
      name: 'pglite',
      open: async () => ({ store: await openStore({ kind: 'pglite', dir: null }), drop: async () => {} }),
    },
  ];
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (serverUrl) stores.push({ name: 'postgres', open: () => openThrowawayDatabase(serverUrl) });
  else console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL to a server the bench may create a database on.)\n');
  const only = process.env.BENCH_STAFF_STORES?.split(',');
  for (const { name, open } of stores) {
    if (only && !only.includes(name)) continue;
    const { store, drop } = await open();
    try {
      await generateCatalogue(store, ENTRIES);
      const result = await runStaff(store, name);
      const slack = result.samples.filter((s) => s.platform === 'slack');
      const teams = result.samples.filter((s) => s.platform === 'teams');
      const acks = slack.filter((s) => !s.error).map((s) => s.ack);
      const failures = result.samples.filter((s) => s.error).length;
      for (const [what, n] of result.errors) notes.push(`${name}: ${n} × ${what}`);
      const replies = (list: Sample[]) => list.map((s) => s.reply ?? REPLY_TIMEOUT_MS);
      const all = replies(result.samples);
      const unanswered = result.samples.filter((s) => s.reply === null && !s.error).length;
      const busy = result.samples.filter((s) => s.busy).length;
      const replyTarget = name === 'pglite' ? 1000 : 400;
      rows.push([
        name,
        result.samples.length,
        fmt(result.samples.length / (result.ms / 1000), 1),
        fmt(percentile(acks, 99), 1),
        fmt(Math.max(...acks), 1),
        fmt(percentile(result.health, 99), 1),
        fmt(percentile(replies(slack), 95)),
        fmt(percentile(replies(teams), 95)),
        fmt(percentile(all, 95)),
        fmt(percentile(all, 99)),
        fmt(Math.max(...all)),
        `${unanswered}/${busy}/${failures}`,
        `${fmt(result.loop.p99, 1)} / ${fmt(result.loop.max, 1)}`,
        fmt(result.loop.cpuMsPerAnswer, 1),
        `ack p99 ≤ 100, reply p95 ≤ ${fmt(replyTarget)}`,
      ]);
      figures.push(
        { name: `staff ${name} slack ack p99 ms`, value: percentile(acks, 99) },
        { name: `staff ${name} reply p95 ms`, value: percentile(all, 95) },
        { name: `staff ${name} reply p99 ms`, value: percentile(all, 99) },
        { name: `staff ${name} reply max ms`, value: Math.max(...all) },
        { name: `staff ${name} healthz p99 ms`, value: percentile(result.health, 99) },
        { name: `staff ${name} event loop delay max ms`, value: result.loop.max },
        { name: `staff ${name} errors`, value: [...result.errors.values()].reduce((a, b) => a + b, 0) },
      );
    } finally {
      await store.close();
      await drop();
    }
  }
  console.log(
    table(
      [
        'store',
        'questions',
        'answers/s',
        'Slack ack p99 ms',
        'ack max',
        '/healthz p99',
        'Slack reply p95',
        'Teams reply p95',
        'reply p95',
        'p99',
        'max',
        'unanswered/busy/errors',
        'loop delay p99/max',
        'CPU ms/answer',
        'target (ms)',
      ],
      rows,
    ),
  );
  console.log(
    `\nCPU ms/answer: this process's CPU time (the app, its embedded store's thread, the stand-ins and the staff) per answer; the PostgreSQL server's own is not in it. Load average at the start ${load
      .map((l) => fmt(l, 1))
      .join(', ')} on ${os.availableParallelism()} cores.`,
  );
  // Requests that failed (counted above as errors, their questions as unanswered), and /healthz probes that did.
  if (notes.length) console.log(`\nErrors: ${notes.join('; ')}.`);
  return figures;
}

async function runStaff(
  store: Store,
  name: string,
): Promise<{ samples: Sample[]; health: number[]; ms: number; errors: Map<string, number>; loop: LoopDelay }> {
  const slackReplies = new Map<string, { at: number; busy: boolean }>();
  const teamsReplies = new Map<string, { at: number; busy: boolean }>();
  const waiters = new Map<string, () => void>();
  // One loopback stand-in for Slack's Web API and response_url, and for Teams' connector.
  const standIn = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '';
      const busy = raw.includes('Signpost is busy right now');
      if (url.startsWith('/respond/')) {
        slackReplies.set(url, { at: performance.now(), busy });
        waiters.get(url)?.();
      } else if (url.includes('/v3/conversations/')) {
        const body = JSON.parse(raw || '{}') as { type?: string; replyToId?: string };
        if (body.type === 'message' && body.replyToId) {
          teamsReplies.set(body.replyToId, { at: performance.now(), busy });
          waiters.get(body.replyToId)?.();
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"user_id":"UBOT","bot_id":"BBOT"}');
    });
  });
  const standInPort = await listen(standIn, 0, '127.0.0.1');
  const standInUrl = `http://127.0.0.1:${standInPort}`;
  const config = loadConfig({
    DATABASE_URL: 'pglite:memory',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${standInUrl}/api/`,
    TEAMS_EMULATOR: 'true',
  });
  const app = await createApp({ config, store, clock: systemClock, logger: silentLogger });
  const server = createHttpServer(app.routes, silentLogger);
  const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  // Connections are reused as Slack's and Microsoft's senders reuse theirs. An agent with no timeout of its own ignores
  // the server's `Keep-Alive: timeout=…` hint and keeps idle sockets for ever; a socket the server has closed is then
  // reused just as it goes (ECONNRESET). With one, Node closes idle sockets a second before the server's hint.
  const agent = new http.Agent({ keepAlive: true, maxSockets: STAFF * 2, timeout: REPLY_TIMEOUT_MS });
  const errors = new Map<string, number>();
  const failed = (what: string) => {
    errors.set(what, (errors.get(what) ?? 0) + 1);
    return what;
  };

  /** The answer's status, or what went wrong (never a throw: a failed request is a figure, not the end of the run). */
  const post = (path: string, headers: Record<string, string>, body: string) =>
    new Promise<{ status: number } | { error: string }>((resolve) => {
      const req = http.request(
        `${base}${path}`,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: failed(e.code ?? e.message) }));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ error: failed(`${e.code ?? e.message}${req.reusedSocket ? ' (reused connection)' : ''}`) }),
      );
      req.end(body);
    });
  const arrived = (key: string, map: Map<string, { at: number; busy: boolean }>) =>
    map.has(key)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, REPLY_TIMEOUT_MS);
          waiters.set(key, () => {
            clearTimeout(timer);
            resolve();
          });
        });

  const askSlack = async (staff: number, n: number): Promise<Sample> => {
    const path = `/respond/${staff}-${n}-${randomUUID()}`;
    const body = new URLSearchParams({
      team_id: 'T1',
      channel_id: 'C1',
      user_id: `U${staff}`,
      command: '/signpost',
      text: BENCH_QUERIES[(staff * 7 + n) % BENCH_QUERIES.length]!,
      response_url: `${standInUrl}${path}`,
      trigger_id: '1.2.3',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const start = performance.now();
    const status = await post(
      SLACK_EVENTS_PATH,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
      body,
    );
    const ack = performance.now() - start;
    if ('error' in status || status.status !== 200) {
      const error = 'error' in status ? status.error : failed(`slash command answered ${status.status}`);
      return { platform: 'slack', ack, reply: null, busy: false, error };
    }
    await arrived(path, slackReplies);
    const reply = slackReplies.get(path);
    waiters.delete(path);
    return { platform: 'slack', ack, reply: reply ? reply.at - start : null, busy: reply?.busy ?? false };
  };

  const askTeams = async (staff: number, n: number): Promise<Sample> => {
    const id = `m-${staff}-${n}-${randomUUID()}`;
    const activity = {
      type: 'message',
      id,
      text: BENCH_QUERIES[(staff * 7 + n) % BENCH_QUERIES.length],
      channelId: 'msteams',
      serviceUrl: `${standInUrl}/`,
      from: {
        id: `29:user-${staff}`,
        name: 'Staff',
        aadObjectId: `00000000-0000-0000-0000-${String(staff).padStart(12, '0')}`,
      },
      conversation: { conversationType: 'personal', tenantId: 't1', id: `a:staff-${staff}` },
      recipient: { id: '28:bot', name: 'Signpost' },
      channelData: { tenant: { id: 't1' } },
      locale: 'en-GB',
    };
    const start = performance.now();
    const status = await post(TEAMS_PATH, { 'content-type': 'application/json' }, JSON.stringify(activity));
    const ack = performance.now() - start;
    if ('error' in status || status.status !== 200) {
      const error = 'error' in status ? status.error : failed(`Teams message answered ${status.status}`);
      return { platform: 'teams', ack, reply: null, busy: false, error };
    }
    await arrived(id, teamsReplies);
    const reply = teamsReplies.get(id);
    waiters.delete(id);
    return { platform: 'teams', ack, reply: reply ? reply.at - start : null, busy: reply?.busy ?? false };
  };

  // A monitor asks /healthz (one query) every 100 ms: how long anyone else waits while the staff are searching.
  const health: number[] = [];
  let running = true;
  const monitor = (async () => {
    while (running) {
      const start = performance.now();
      const ok = await new Promise<boolean>((resolve) =>
        http
          .get(`${base}/healthz`, { agent }, (res) => res.resume().on('end', () => resolve(res.statusCode === 200)))
          .on('error', (e: NodeJS.ErrnoException) => {
            failed(`/healthz: ${e.code ?? e.message}`);
            resolve(false);
          }),
      );
      if (ok) health.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  try {
    // Warm-up (not counted): every question once on each platform.
    await Promise.all(BENCH_QUERIES.map((_, i) => (i % 2 ? askSlack(1_000 + i, 0) : askTeams(1_000 + i, 0))));
    health.length = 0;
    errors.clear();
    const samples: Sample[] = [];
    const profiler = PROFILE_DIR ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    // How late the event loop (shared by the app and these stand-ins) runs what is due: any long task shows here.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: STAFF }, async (_, staff) => {
        for (let n = 0; n < QUESTIONS_EACH && performance.now() - started < BUDGET_MS; n++) {
          samples.push(staff % 2 === 0 ? await askSlack(staff, n) : await askTeams(staff, n));
        }
      }),
    );
    const ms = performance.now() - started;
    delay.disable();
    const used = process.cpuUsage(cpu);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      fs.mkdirSync(PROFILE_DIR!, { recursive: true });
      fs.writeFileSync(`${PROFILE_DIR}/staff-${name}.cpuprofile`, JSON.stringify(profile));
      profiler.disconnect();
    }
    const loop = {
      p99: delay.percentile(99) / 1e6,
      max: delay.max / 1e6,
      cpuMsPerAnswer: (used.user + used.system) / 1000 / Math.max(1, samples.length),
    };
    return { samples, health, ms, errors, loop };
  } finally {
    running = false;
    await monitor;
    agent.destroy();
    await app.stop();
    await new Promise((r) => server.close(r));
    await new Promise((r) => standIn.close(r));
  }
}

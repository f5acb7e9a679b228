import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SLACK_EVENTS_PATH } from '../src/bots/slack/slack-app.ts';
import { TEAMS_PATH } from '../src/bots/teams/server.ts';
import { listen } from '../src/http-server.ts';
import { BENCH_QUERIES } from './search.ts';

/**
 * The staff of bench/staff.ts and the stand-ins for Slack's and Microsoft's services, in a process of their own (the
 * bench forks this file): in the app's process their own work (signing, sending, reading the answers) would run on
 * the app's event loop and count as the app's delay, where Slack and Teams are on other machines. Every figure is
 * taken here, from a request being sent to its answer arriving, on this process's clock.
 */

export type Sample = {
  platform: 'slack' | 'teams';
  ack: number;
  reply: number | null;
  busy: boolean;
  /** The request failed (a connection reset, a status other than 200): what went wrong, counted, never thrown. */
  error?: string;
};

/** What the bench sends once the app listens. */
export type Go = {
  type: 'go';
  base: string;
  secret: string;
  staff: number;
  questionsEach: number;
  budgetMs: number;
  replyTimeoutMs: number;
};

/** What this process tells the bench: where its stand-ins listen, that the counted part starts, and its figures. */
export type LoadMessage =
  | { type: 'stand-in'; url: string }
  | { type: 'measuring' }
  | {
      type: 'done';
      samples: Sample[];
      health: number[];
      ms: number;
      errors: [string, number][];
      /** This process's own event loop delay, max (ms): how late it may have seen an answer arrive. */
      loopMax: number;
    };

const send = (message: LoadMessage) => process.send?.(message);

let go!: Go;
const started = new Promise<void>((resolve) =>
  process.once('message', (message: Go) => {
    go = message;
    resolve();
  }),
);

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
send({ type: 'stand-in', url: standInUrl });
await started;
const { base } = go;
const SECRET = go.secret;
// Connections are reused as Slack's and Microsoft's senders reuse theirs. An agent with no timeout of its own ignores
// the server's `Keep-Alive: timeout=…` hint and keeps idle sockets for ever; a socket the server has closed is then
// reused just as it goes (ECONNRESET). With one, Node closes idle sockets a second before the server's hint.
const agent = new http.Agent({ keepAlive: true, maxSockets: go.staff * 2, timeout: go.replyTimeoutMs });
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
        const timer = setTimeout(resolve, go.replyTimeoutMs);
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
  send({ type: 'measuring' });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const begun = performance.now();
  await Promise.all(
    Array.from({ length: go.staff }, async (_, staff) => {
      for (let n = 0; n < go.questionsEach && performance.now() - begun < go.budgetMs; n++) {
        samples.push(staff % 2 === 0 ? await askSlack(staff, n) : await askTeams(staff, n));
      }
    }),
  );
  const ms = performance.now() - begun;
  running = false;
  await monitor;
  delay.disable();
  send({ type: 'done', samples, health, ms, errors: [...errors], loopMax: delay.max / 1e6 });
} finally {
  running = false;
  agent.destroy();
  await new Promise((r) => standIn.close(r));
  process.disconnect?.();
}

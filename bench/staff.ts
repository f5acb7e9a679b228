import { fork } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { openStore, type Store } from '../src/db/open-store.ts';
import { createHttpServer, listen } from '../src/http-server.ts';
import { silentLogger } from '../src/logger.ts';
import { generateCatalogue } from './search.ts';
import { openThrowawayDatabase } from './server-db.ts';
import type { Go, LoadMessage, Sample } from './staff-load.ts';
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

/** The app's event loop delay while the staff asked (ms), and the app process's CPU time per answer (all its threads). */
type LoopDelay = { p99: number; max: number; cpuMsPerAnswer: number; staffMax: number };

/**
 * The whole app on loopback (createApp: Slack's Bolt receiver, Teams' CloudAdapter in Emulator mode, /healthz, the
 * shared search queue) over a generated catalogue, with 50 members of staff asking at once: half through signed
 * Slack slash commands (the answer arrives at a local response_url stand-in), half as Teams personal messages (the
 * answer arrives at a local connector stand-in). The staff and the stand-ins run in a process of their own
 * (staff-load.ts), as Slack and Microsoft do, so the app's event loop carries only the app. Every figure counts from
 * the request being sent to the answer arriving, so it includes the search. Runs on embedded PGlite, and on PostgreSQL
 * when BENCH_DATABASE_URL is set.
 */
export async function benchStaff(): Promise<Figure[]> {
  const load = os.loadavg();
  console.log(
    `\n## Staff at once: ${STAFF} (half Slack, half Teams), ${fmt(ENTRIES)} entries, ${QUESTIONS_EACH} questions each, whole app on loopback, the staff in a process of their own\n`,
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
        fmt(result.loop.staffMax, 1),
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
        "staff's loop max",
        'CPU ms/answer',
        'target (ms)',
      ],
      rows,
    ),
  );
  console.log(
    `\nCPU ms/answer: the app process's CPU time (its event loop and its embedded store's thread) per answer; neither the staff's process nor the PostgreSQL server's is in it. Load average at the start ${load
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
  // The staff and the stand-ins for Slack and Microsoft run in a process of their own (bench/staff-load.ts).
  const load = fork(fileURLToPath(new URL('./staff-load.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    load.once('exit', (code) => reject(new Error(`The staff's process stopped (exit code ${code}).`))),
  );
  exited.catch(() => undefined);
  const next = <T extends LoadMessage['type']>(type: T) =>
    Promise.race([
      new Promise<Extract<LoadMessage, { type: T }>>((resolve) => {
        const on = (message: LoadMessage) => {
          if (message.type !== type) return;
          load.off('message', on);
          resolve(message as Extract<LoadMessage, { type: T }>);
        };
        load.on('message', on);
      }),
      exited,
    ]);
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let server: http.Server | undefined;
  try {
    const standInUrl = (await next('stand-in')).url;
    const config = loadConfig({
      DATABASE_URL: 'pglite:memory',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${standInUrl}/api/`,
      TEAMS_EMULATOR: 'true',
    });
    app = await createApp({ config, store, clock: systemClock, logger: silentLogger });
    server = createHttpServer(app.routes, silentLogger);
    const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    const measuring = next('measuring');
    const done = next('done');
    const go: Go = {
      type: 'go',
      base,
      secret: SECRET,
      staff: STAFF,
      questionsEach: QUESTIONS_EACH,
      budgetMs: BUDGET_MS,
      replyTimeoutMs: REPLY_TIMEOUT_MS,
    };
    load.send(go);
    await measuring;
    const profiler = PROFILE_DIR ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    // How late the app's event loop runs what is due while the staff ask: any long task shows here.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const cpu = process.cpuUsage();
    const result = await done;
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
      cpuMsPerAnswer: (used.user + used.system) / 1000 / Math.max(1, result.samples.length),
      staffMax: result.loopMax,
    };
    return { samples: result.samples, health: result.health, ms: result.ms, errors: new Map(result.errors), loop };
  } finally {
    load.kill();
    await app?.stop();
    if (server) await new Promise((r) => server!.close(r));
  }
}

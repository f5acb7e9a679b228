import type { Database } from '../../db/sql.ts';
import fs from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLondonDateTime, toLondonDate } from '../../catalogue/time.ts';
import type { Clock } from '../../clock.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import { toCsv } from '../csv.ts';
import { listFlags } from '../flags.ts';
import { freshnessReport } from '../freshness-report.ts';
import { gapsReport } from '../gaps-report.ts';
import { insightsOverview, trainingReport, type OverviewSettings } from '../insights-overview.ts';
import { searchesReport } from '../searches-report.ts';
import { outcomeCsvRows, outcomeFunnel, outcomesReport } from '../outcomes-report.ts';
import {
  CSRF_COOKIE_NAME,
  cookies,
  csrfMatches,
  csrfToken,
  formNonce,
  newSession,
  signedInSession,
  signInCookie,
  signOutCookie,
  tokenMatches,
} from './insights-auth.ts';

const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

const ASSETS: Record<string, { file: string; type: string }> = {
  'insights.js': { file: path.join(ASSETS_DIR, 'insights.js'), type: 'text/javascript; charset=utf-8' },
  'insights.css': { file: path.join(ASSETS_DIR, 'insights.css'), type: 'text/css; charset=utf-8' },
  'chart.umd.min.js': { file: CHART_JS, type: 'text/javascript; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export type InsightsRoutesDeps = {
  store: Database;
  clock: Clock;
  logger: Logger;
  /** INSIGHTS_TOKEN; null turns the page off (it says how to turn it on). */
  token: string | null;
  settings: OverviewSettings;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/insights/assets/insights.css"></head>
<body>${body}</body></html>`;
}

function loginPage(csrf: string, message?: string): string {
  return page(
    'Signpost insights: sign in',
    `<main class="login"><h1>Signpost insights</h1>
<p>For coordinators. Enter the insights token your administrator gave you.</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/insights/login"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main>`,
  );
}

function dashboardPage(from: string, to: string, logoutCsrf: string | undefined): string {
  const q = `from=${encodeURIComponent(from)}&amp;to=${encodeURIComponent(to)}`;
  const csv = (name: string, label: string) =>
    `<a class="csv" href="/insights/${name}.csv?${q}" download>${label} (CSV)</a>`;
  return page(
    'Signpost insights',
    `<header><h1>Signpost insights</h1><p class="lede">Anonymous counts for the Health and Wellbeing Board: no questions, names or user ids are kept.</p>
<form class="range" method="get" action="/insights"><label>From <input type="date" name="from" value="${escapeHtml(from)}"></label>
<label>To <input type="date" name="to" value="${escapeHtml(to)}"></label><button type="submit">Show</button></form>
${logoutCsrf ? `<form method="post" action="/insights/logout" class="logout"><input type="hidden" name="csrf" value="${escapeHtml(logoutCsrf)}"><button type="submit">Sign out</button></form>` : ''}</header>
<main id="insights" data-from="${escapeHtml(from)}" data-to="${escapeHtml(to)}">
<section id="totals" class="totals" aria-live="polite"><p>Loading…</p></section>
<section><h2>Searches over time</h2><div class="chart"><canvas id="chart-days" aria-label="Searches per day, and how many found nothing"></canvas></div>${csv('searches-by-day', 'Searches by day')}</section>
<section><h2>Searches and unmet needs by ward</h2><div class="chart tall"><canvas id="chart-wards" aria-label="Searches by ward"></canvas></div>${csv('searches-by-ward', 'Searches by ward')}</section>
<section><h2>Unmet needs</h2><p>What was asked for and not found, ranked: nothing found first, then searches that needed wider filters.</p><div id="gaps"></div>${csv('gaps', 'Unmet needs')}</section>
<section><h2>Training</h2><div class="chart"><canvas id="chart-training" aria-label="People trained per course against targets"></canvas></div><div id="training"></div>${csv('training', 'Training')}</section>
<section><h2>Freshness</h2><div id="freshness"></div>${csv('freshness', 'Listings not confirmed')} ${csv('feeds', 'Failing feeds')}</section>
<section id="outcomes-section"><h2>Did it help?</h2><p>From searched to shared with a resident to “went”, as staff answered a follow-up (counted anonymously).</p><div class="chart"><canvas id="chart-outcomes" aria-label="Searches, listings shared and residents who went"></canvas></div>
<h3>By category</h3><div id="outcomes-category"></div>${csv('outcomes-by-category', 'By category')}
<h3>By ward</h3><div id="outcomes-ward"></div>${csv('outcomes-by-ward', 'By ward')}
<h3>Most often not suitable</h3><div id="outcomes-unsuitable"></div>${csv('unsuitable', 'Not suitable, with reasons')} ${csv('outcomes', 'Outcomes per listing')}</section>
<section><h2>Problems reported by staff</h2><div id="flags"></div>${csv('flags', 'Reported problems')}</section>
</main><script src="/insights/assets/chart.umd.min.js"></script><script src="/insights/assets/insights.js"></script>`,
  );
}

class BodyTooLarge extends Error {}

async function readBody(req: http.IncomingMessage, limit = 4096): Promise<string> {
  if (Number(req.headers['content-length']) > limit) throw new BodyTooLarge();
  let body = '';
  for await (const chunk of req) {
    body += chunk.toString();
    if (body.length > limit) throw new BodyTooLarge();
  }
  return body;
}

/**
 * The coordinators' read-only insights page at /insights, behind INSIGHTS_TOKEN: a sign-in form that sets an
 * HttpOnly cookie, the page and its assets (chart.js from node_modules, no CDN), JSON for the charts and CSV files.
 */
export function createInsightsRoutes(deps: InsightsRoutesDeps): [string, RouteHandler][] {
  const { store, clock, token, settings } = deps;
  const log = deps.logger.child('insights-http');
  /** Sessions signed out before they lapsed, until they would have lapsed (this server's memory). */
  const signedOut = new Map<string, number>();

  function range(url: URL): { from: Date; to: Date; fromText: string; toText: string } {
    const now = clock.now();
    const toText = url.searchParams.get('to') ?? toLondonDate(now);
    const fromText = url.searchParams.get('from') ?? toLondonDate(new Date(now.getTime() - 89 * 86_400_000));
    const from = /^\d{4}-\d{2}-\d{2}$/.test(fromText) ? parseLondonDateTime(fromText) : undefined;
    const toStart = /^\d{4}-\d{2}-\d{2}$/.test(toText) ? parseLondonDateTime(toText) : undefined;
    if (!from || !toStart) throw new RangeError('from and to are dates such as 2026-11-01');
    // `to` is inclusive: up to midnight at the end of that day in London.
    const to = parseLondonDateTime(toLondonDate(new Date(toStart.getTime() + 36 * 3_600_000))) ?? toStart;
    return { from, to, fromText, toText };
  }

  const send = (
    res: http.ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    extra: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...extra }).end(body);
  };

  const handler: RouteHandler = async (req, res): Promise<void> => {
    const url = new URL(req.url ?? '/insights', 'http://localhost');
    const sub = url.pathname.replace(/^\/insights\/?/, '');
    const now = clock.now();

    if (sub.startsWith('assets/')) {
      const asset = ASSETS[sub.slice('assets/'.length)];
      if (!asset || req.method !== 'GET') return send(res, 404, 'text/plain', 'not found');
      return send(res, 200, asset.type, await fs.promises.readFile(asset.file), {
        'cache-control': 'private, max-age=300',
      });
    }
    if (!token) {
      return send(
        res,
        503,
        'text/html; charset=utf-8',
        page(
          'Signpost insights',
          '<main class="login"><h1>Signpost insights</h1><p>The insights page is switched off. Set <code>INSIGHTS_TOKEN</code> (12 characters or more) and restart the server to turn it on.</p></main>',
        ),
      );
    }
    const secure = req.headers['x-forwarded-proto'] === 'https';
    for (const [id, expiresAt] of signedOut) if (expiresAt * 1000 <= now.getTime()) signedOut.delete(id);
    const login = (status: number, message?: string) => {
      const { nonce, cookie } = formNonce(req);
      return send(
        res,
        status,
        'text/html; charset=utf-8',
        loginPage(csrfToken(token, 'login', nonce), message),
        cookie ? { 'set-cookie': cookie } : {},
      );
    };
    const readForm = async (): Promise<URLSearchParams | undefined> => {
      try {
        return new URLSearchParams(await readBody(req));
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        send(res, 400, 'application/json', JSON.stringify({ error: 'request body too large' }));
        return undefined;
      }
    };
    const session = signedInSession(req, token, now, new Set(signedOut.keys()));
    if (sub === 'login' && req.method === 'POST') {
      const form = await readForm();
      if (!form) return;
      if (!csrfMatches(token, 'login', cookies(req).get(CSRF_COOKIE_NAME), form.get('csrf'))) {
        log.warn('insights sign-in refused: the form was not ours');
        return login(400, 'The sign-in form had expired. Please try again.');
      }
      if (tokenMatches(token, form.get('token') ?? '')) {
        log.info('coordinator signed in to insights');
        return send(res, 303, 'text/plain', 'signed in', {
          location: '/insights',
          'set-cookie': signInCookie(token, newSession(now), secure),
        });
      }
      log.warn('insights sign-in refused');
      return login(401, 'That token is not right.');
    }
    if (sub === 'logout' && req.method === 'POST') {
      const form = await readForm();
      if (!form) return;
      if (session && session !== 'bearer') {
        if (!csrfMatches(token, 'logout', session.id, form.get('csrf')))
          return send(res, 400, 'application/json', JSON.stringify({ error: 'the sign-out form was not ours' }));
        signedOut.set(session.id, session.expiresAt);
        log.info('coordinator signed out of insights');
      }
      return send(res, 303, 'text/plain', 'signed out', { location: '/insights', 'set-cookie': signOutCookie() });
    }
    if (!session) {
      if (sub === '' || sub === 'login') return login(401);
      return send(res, 401, 'application/json', JSON.stringify({ error: 'sign in at /insights' }));
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');

    let r: ReturnType<typeof range>;
    try {
      r = range(url);
    } catch (error) {
      return send(res, 400, 'application/json', JSON.stringify({ error: (error as Error).message }));
    }
    if (sub === '' || sub === 'login') {
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        dashboardPage(r.fromText, r.toText, session === 'bearer' ? undefined : csrfToken(token, 'logout', session.id)),
      );
    }
    if (sub === 'data.json') {
      const overview = await insightsOverview(store, r, now, settings);
      return send(
        res,
        200,
        'application/json; charset=utf-8',
        JSON.stringify({ from: r.fromText, to: r.toText, ...overview }),
      );
    }
    const csvFile = sub.match(/^([a-z-]+)\.csv$/)?.[1];
    if (csvFile) {
      const rows = await csvRows(csvFile, r, now);
      if (!rows) return send(res, 404, 'text/plain', 'not found');
      return send(res, 200, 'text/csv; charset=utf-8', toCsv(rows.rows, rows.columns), {
        'content-disposition': `attachment; filename="signpost-${csvFile}-${r.fromText}-to-${r.toText}.csv"`,
      });
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  async function csvRows(
    name: string,
    r: { from: Date; to: Date },
    now: Date,
  ): Promise<{ rows: Record<string, unknown>[]; columns?: string[] } | undefined> {
    switch (name) {
      case 'gaps':
        return {
          rows: (await gapsReport(store, r)).map((g) => ({
            ...g,
            ward: g.ward ?? 'any',
            audience: g.audience ?? 'any',
            category: g.category ?? 'any',
            day: g.day ?? 'any',
            timeOfDay: g.timeOfDay ?? 'any',
          })),
          columns: ['ward', 'audience', 'category', 'day', 'timeOfDay', 'searches', 'noResults', 'relaxed'],
        };
      case 'searches-by-ward':
        return {
          rows: (await searchesReport(store, r.from, r.to)).byWard.map((w) => ({ ...w, ward: w.ward ?? 'not said' })),
          columns: ['ward', 'searches', 'noResults', 'relaxed'],
        };
      case 'searches-by-day':
        return {
          rows: (await searchesReport(store, r.from, r.to)).byDay,
          columns: ['date', 'searches', 'noResults', 'relaxed'],
        };
      case 'training':
        return {
          rows: await trainingReport(store, now, settings),
          columns: [
            'course',
            'target',
            'trained',
            'booked',
            'attendanceRate',
            'sessions',
            'validity',
            'lapsed',
            'lapsingSoon',
          ],
        };
      case 'freshness':
        return {
          rows: (await freshnessReport(store, now, settings.staleMonths ? { staleMonths: settings.staleMonths } : {}))
            .staleEntries,
          columns: ['id', 'title', 'kind', 'organisation', 'source', 'ward', 'lastConfirmed', 'isDemo'],
        };
      case 'feeds':
        return {
          rows: (await freshnessReport(store, now)).failingFeeds,
          columns: ['name', 'format', 'url', 'lastError', 'lastErrorAt', 'lastSuccessAt'],
        };
      case 'flags':
        return {
          rows: await listFlags(store, { status: 'all' }),
          columns: [
            'id',
            'entryId',
            'title',
            'organisation',
            'contact',
            'kind',
            'note',
            'reporterPlatform',
            'status',
            'createdAt',
            'resolvedAt',
          ],
        };
      case 'outcomes-by-category':
        return {
          rows: (await outcomeFunnel(store, r)).byCategory.map((g) => ({
            category: g.group,
            searched: g.searched,
            shared: g.shared,
            went: g.went,
          })),
          columns: ['category', 'searched', 'shared', 'went'],
        };
      case 'outcomes-by-ward':
        return {
          rows: (await outcomeFunnel(store, r)).byWard.map((g) => ({
            ward: g.group,
            searched: g.searched,
            shared: g.shared,
            went: g.went,
          })),
          columns: ['ward', 'searched', 'shared', 'went'],
        };
      case 'outcomes':
        return outcomeCsvRows(await outcomesReport(store, r));
      case 'unsuitable':
        return outcomeCsvRows((await outcomeFunnel(store, r)).unsuitable);
      default:
        return undefined;
    }
  }

  return [
    ['/insights', handler],
    ['/insights/', handler],
  ];
}

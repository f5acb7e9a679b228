import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { createInsightsRoutes } from '../../src/insights/http/insights-routes.ts';
import { silentLogger } from '../../src/logger.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const TOKEN = 'coordinator-token-for-tests';

describe('insights page under attack', () => {
  let store: TestStore;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    server = createHttpServer(
      new Map(
        createInsightsRoutes({ store, clock: fixedClock(NOW), logger: silentLogger, token: TOKEN, settings: {} }),
      ),
      silentLogger,
    );
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];
  const hidden = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const post = (path: string, form: Record<string, string>, cookie?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    });
  async function signIn(): Promise<string> {
    const page = await fetch(`${base}/insights`);
    const nonce = cookieOf(page, 'signpost_insights_form')!;
    const res = await post('/insights/login', { token: TOKEN, csrf: hidden(await page.text())! }, nonce);
    expect(res.status).toBe(303);
    return cookieOf(res, 'signpost_insights')!;
  }

  it('a malformed or forged cookie gets 401, never 500', async () => {
    for (const cookie of [
      'signpost_insights=%E0%A4%A',
      'signpost_insights=%',
      'signpost_insights=1.2',
      'signpost_insights=99999999999.x.y',
      `signpost_insights=${'a'.repeat(5000)}`,
      'signpost_insights',
      '=;;=',
      'signpost_insights=1e400.a.b',
    ]) {
      for (const path of ['/insights', '/insights/data.json', '/insights/gaps.csv']) {
        expect((await fetch(`${base}${path}`, { headers: { cookie } })).status).toBe(401);
      }
    }
  });

  it('an oversized body gets 400, never 500', async () => {
    const body = `token=${'x'.repeat(1_000_000)}`;
    for (const path of ['/insights/login', '/insights/logout']) {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(res.status).toBe(400);
    }
  });

  it('login CSRF: a sign-in posted from another page (no form token) is refused', async () => {
    const forged = await post('/insights/login', { token: TOKEN });
    expect(forged.status).toBe(400);
    expect(cookieOf(forged, 'signpost_insights')).toBeUndefined();
    const page = await fetch(`${base}/insights`);
    const csrf = hidden(await page.text())!;
    // The form token alone, without the browser's own nonce cookie, is not enough.
    expect((await post('/insights/login', { token: TOKEN, csrf })).status).toBe(400);
  });

  it('signing in with the form token works; a wrong token is still 401', async () => {
    const page = await fetch(`${base}/insights`);
    const nonce = cookieOf(page, 'signpost_insights_form')!;
    const csrf = hidden(await page.text())!;
    expect((await post('/insights/login', { token: 'not-the-token', csrf }, nonce)).status).toBe(401);
    const session = await signIn();
    expect((await fetch(`${base}/insights/data.json`, { headers: { cookie: session } })).status).toBe(200);
  });

  it('sign-out needs its form token and ends the session on the server', async () => {
    const session = await signIn();
    const dashboard = await (await fetch(`${base}/insights`, { headers: { cookie: session } })).text();
    const csrf = hidden(dashboard)!;
    expect(csrf).toBeTruthy();
    // A forged sign-out (no token) changes nothing.
    expect((await post('/insights/logout', {}, session)).status).toBe(400);
    expect((await fetch(`${base}/insights/data.json`, { headers: { cookie: session } })).status).toBe(200);
    const out = await post('/insights/logout', { csrf }, session);
    expect(out.status).toBe(303);
    // The old cookie, replayed (say from a shared computer's copy), no longer works.
    expect((await fetch(`${base}/insights/data.json`, { headers: { cookie: session } })).status).toBe(401);
  });
});

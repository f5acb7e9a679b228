import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export const COOKIE_NAME = 'signpost_insights';
/** A signed-in browser keeps its cookie for 12 hours. */
export const SESSION_SECONDS = 12 * 3600;

/** The cookie value: an HMAC of the token and an expiry, so the token itself never sits in the browser. */
export function sessionCookieValue(token: string, expiresAt: number): string {
  const mac = createHmac('sha256', token).update(`insights-session:${expiresAt}`).digest('base64url');
  return `${expiresAt}.${mac}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function tokenMatches(token: string, candidate: string): boolean {
  const mac = (s: string) => createHmac('sha256', 'insights-token').update(s).digest();
  return timingSafeEqual(mac(token), mac(candidate));
}

function cookies(req: http.IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

/** Signed in: a valid, unexpired session cookie, or `Authorization: Bearer <token>` (for scripts fetching CSVs). */
export function isSignedIn(req: http.IncomingMessage, token: string, now: Date): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokenMatches(token, auth.slice(7).trim())) return true;
  const value = cookies(req).get(COOKIE_NAME);
  if (!value) return false;
  const [expires, mac] = value.split('.');
  const expiresAt = Number(expires);
  if (!mac || !Number.isFinite(expiresAt) || expiresAt * 1000 <= now.getTime()) return false;
  return safeEqual(sessionCookieValue(token, expiresAt), value);
}

export function signInCookie(token: string, now: Date, secure: boolean): string {
  const expiresAt = Math.floor(now.getTime() / 1000) + SESSION_SECONDS;
  return `${COOKIE_NAME}=${sessionCookieValue(token, expiresAt)}; Path=/insights; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}

export function signOutCookie(): string {
  return `${COOKIE_NAME}=; Path=/insights; HttpOnly; SameSite=Strict; Max-Age=0`;
}

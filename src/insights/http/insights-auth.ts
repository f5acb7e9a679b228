import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export const COOKIE_NAME = 'signpost_insights';
/** The sign-in form's anti-forgery cookie (double submit: the form carries its HMAC). */
export const CSRF_COOKIE_NAME = 'signpost_insights_form';
/** A signed-in browser keeps its cookie for 12 hours. */
export const SESSION_SECONDS = 12 * 3600;

/** A signed-in browser's session: its id (what signing out ends) and when it lapses. */
export type InsightsSession = { id: string; expiresAt: number };

const mac = (token: string, purpose: string) => createHmac('sha256', token).update(purpose).digest('base64url');

/** The cookie value: an expiry, a random session id and their HMAC, so the token itself never sits in the browser. */
export function sessionCookieValue(token: string, session: InsightsSession): string {
  return `${session.expiresAt}.${session.id}.${mac(token, `insights-session:${session.expiresAt}:${session.id}`)}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function tokenMatches(token: string, candidate: string): boolean {
  const digest = (s: string) => createHmac('sha256', 'insights-token').update(s).digest();
  return timingSafeEqual(digest(token), digest(candidate));
}

/** The request's cookies; a value that is not valid percent-encoding is kept as it came (never an error). */
export function cookies(req: http.IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.cookie;
  for (const part of (typeof header === 'string' ? header : '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const raw = part.slice(i + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // Malformed: compared as it is, so it simply does not match.
    }
    out.set(part.slice(0, i).trim(), value);
  }
  return out;
}

/**
 * The session a request is signed in with: a valid, unexpired, not signed-out session cookie, or
 * `Authorization: Bearer <token>` (for scripts fetching CSVs; no session to end). Undefined when not signed in.
 */
export function signedInSession(
  req: http.IncomingMessage,
  token: string,
  now: Date,
  signedOut: ReadonlySet<string>,
): InsightsSession | 'bearer' | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokenMatches(token, auth.slice(7).trim())) return 'bearer';
  const value = cookies(req).get(COOKIE_NAME);
  if (!value || value.length > 200) return undefined;
  const [expires, id, signature] = value.split('.');
  const expiresAt = Number(expires);
  if (!id || !signature || !Number.isFinite(expiresAt) || expiresAt * 1000 <= now.getTime()) return undefined;
  const session = { id, expiresAt };
  if (!safeEqual(sessionCookieValue(token, session), value) || signedOut.has(id)) return undefined;
  return session;
}

export function newSession(now: Date): InsightsSession {
  return { id: randomBytes(16).toString('base64url'), expiresAt: Math.floor(now.getTime() / 1000) + SESSION_SECONDS };
}

export function signInCookie(token: string, session: InsightsSession, secure: boolean): string {
  return `${COOKIE_NAME}=${sessionCookieValue(token, session)}; Path=/insights; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}

export function signOutCookie(): string {
  return `${COOKIE_NAME}=; Path=/insights; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/** The sign-in form's nonce: the one the browser already holds (if well-formed), else a new one to set. */
export function formNonce(req: http.IncomingMessage): { nonce: string; cookie?: string } {
  const held = cookies(req).get(CSRF_COOKIE_NAME);
  if (held && /^[A-Za-z0-9_-]{22}$/.test(held)) return { nonce: held };
  const nonce = randomBytes(16).toString('base64url');
  return {
    nonce,
    cookie: `${CSRF_COOKIE_NAME}=${nonce}; Path=/insights; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}`,
  };
}

/** The anti-forgery value a form carries: sign-in forms are bound to the nonce cookie, sign-out forms to the session. */
export function csrfToken(token: string, purpose: 'login' | 'logout', binding: string): string {
  return mac(token, `insights-csrf:${purpose}:${binding}`);
}

export function csrfMatches(
  token: string,
  purpose: 'login' | 'logout',
  binding: string | undefined,
  candidate: string | null,
): boolean {
  return !!binding && !!candidate && safeEqual(csrfToken(token, purpose, binding), candidate);
}

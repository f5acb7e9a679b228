import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { type FeedAllowList, NO_EXCEPTIONS, refusedAddress } from './feed-address-policy.ts';
import { FeedRefusedError } from './parse-ical.ts';

export type FetchedFeed = {
  text: string;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
};

export type FetchFeedOptions = {
  /** How long the server has to send its response headers (each request, redirects included). Default 30 s. */
  timeoutMs?: number;
  /** How long the body may take to arrive once the headers have. Default 60 s. */
  bodyTimeoutMs?: number;
  /** Largest body read; counted while it streams, so a larger one is cut off, never held. Default 50 MB. */
  maxBytes?: number;
  etag?: string | null;
  lastModified?: string | null;
  /** Hosts and ranges that may be fetched although private (FEED_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts?: FeedAllowList;
  /** Gives up early (the server is stopping). */
  signal?: AbortSignal;
};

const MAX_REDIRECTS = 5;

function webUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FeedRefusedError(`${what} "${text.slice(0, 100)}" is not a valid URL.`);
  }
  if (url.protocol === 'webcal:') url.protocol = 'https:';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedRefusedError(`Only http(s) and webcal feeds can be fetched, not ${url.protocol}`);
  }
  return url;
}

/**
 * Partners' URLs are outside our control: only http(s), never to a private address (checked on the addresses the
 * name resolves to, at connection time, for the first request and every redirect), bounded in time (headers, then
 * body) and size (while streaming), and every failure is one clear sentence.
 */
export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchedFeed | 'not-modified'> {
  let current = webUrl(url, 'The address');
  const allow = options.allowPrivateHosts ?? NO_EXCEPTIONS;
  const headers: Record<string, string> = {
    accept: 'text/calendar, application/json, text/csv;q=0.9, */*;q=0.5',
    'user-agent': 'Signpost feed reader',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  for (let hop = 0; ; hop++) {
    if (options.signal?.aborted) throw new FeedRefusedError(`Stopped before ${current.host} was fetched.`);
    const response = await requestHeaders(current, headers, allow, options.timeoutMs ?? 30_000, options.signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume();
      if (hop >= MAX_REDIRECTS)
        throw new FeedRefusedError(
          `${current.host} redirected more than ${MAX_REDIRECTS} times; nothing was imported.`,
        );
      current = webUrl(new URL(location, current).toString(), `${current.host} redirected to`);
      continue;
    }
    if (status === 304) {
      response.resume();
      return 'not-modified';
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw new FeedRefusedError(`${current.host} answered HTTP ${status}; nothing was imported.`);
    }
    const buffer = await readBody(
      response,
      current,
      options.maxBytes ?? 50 * 1024 * 1024,
      options.bodyTimeoutMs ?? 60_000,
      options.signal,
    );
    const header = (name: string) => {
      const v = response.headers[name];
      return typeof v === 'string' ? v : null;
    };
    return {
      text: decodeText(buffer, header('content-type')),
      etag: header('etag'),
      lastModified: header('last-modified'),
      contentType: header('content-type'),
    };
  }
}

function requestHeaders(
  url: URL,
  headers: Record<string, string>,
  allow: FeedAllowList,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<http.IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An address written in the URL is never looked up, so it is checked here; names are checked as they resolve.
  if (net.isIP(host)) {
    const why = refusedAddress(host, host, allow);
    if (why) return Promise.reject(new FeedRefusedError(`${url.host} may not be fetched: ${why}.`));
  }
  let refusal: string | undefined;
  const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const why = refusedAddress(hostname, a.address, allow);
        if (why) {
          refusal = why;
          return callback(new Error(why), '', 0);
        }
      }
      if (lookupOptions.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} did not resolve`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'GET', headers, lookup, ...(signal ? { signal } : {}) });
    const timer = setTimeout(() => req.destroy(new TimeoutError()), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.on('error', (error: Error) => {
      clearTimeout(timer);
      if (refusal) reject(new FeedRefusedError(`${url.host} may not be fetched: ${refusal}.`));
      else if (signal?.aborted) reject(new FeedRefusedError(`Stopped while fetching ${url.host}.`));
      else if (error instanceof TimeoutError)
        reject(new FeedRefusedError(`Could not fetch ${url.host}: it did not answer in time.`));
      else reject(new FeedRefusedError(`Could not fetch ${url.host}: ${error.message}.`));
    });
    req.end();
  });
}

class TimeoutError extends Error {}

function readBody(
  res: http.IncomingMessage,
  url: URL,
  max: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  const tooLarge = () => new FeedRefusedError(`The feed is larger than ${Math.round(max / 1048576)} MB.`);
  if (Number.isFinite(declared) && declared > max) {
    res.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        res.destroy();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const timer = setTimeout(
      () => finish(new FeedRefusedError(`Could not fetch ${url.host}: the feed did not finish arriving in time.`)),
      timeoutMs,
    );
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) finish(tooLarge());
      else chunks.push(chunk);
    });
    res.on('end', () => finish());
    signal?.addEventListener('abort', () => finish(new FeedRefusedError(`Stopped while fetching ${url.host}.`)), {
      once: true,
    });
    res.on('aborted', () =>
      finish(new FeedRefusedError(`Could not fetch ${url.host}: the connection closed before the feed had arrived.`)),
    );
    res.on('error', (error) => finish(new FeedRefusedError(`Could not fetch ${url.host}: ${error.message}.`)));
  });
}

/** Bytes Windows-1252 leaves undefined: text in it never holds them. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Windows-1252's characters for 0x80–0x9F (the rest is Latin-1). Written out because Node's TextDecoder without
 * full ICU decodes the label "windows-1252" as Latin-1, which turns curly quotes into control characters.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)),
    );
  }
  return out;
}

function refuseEncoding(why: string): never {
  throw new FeedRefusedError(
    `The input is not text in UTF-8, UTF-16 (with a byte-order mark) or Windows-1252: ${why}.`,
  );
}

function decodeStrict(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads an input's bytes as text. A byte-order mark decides (UTF-8, UTF-16 LE or BE); then a charset the server
 * names; then UTF-8 if the bytes are valid UTF-8; else Windows-1252 (older Excel and Outlook exports), whose curly
 * quotes and dashes survive. Bytes none of these allow (a binary file, UTF-16 without its mark) are refused with a
 * sentence that says so.
 */
export function decodeText(buffer: Buffer, contentType?: string | null): string {
  const b = buffer;
  const nul = (text: string) => text.indexOf('\u0000');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    const text = decodeStrict('utf-8', b);
    if (text === undefined || nul(text) >= 0)
      refuseEncoding('it begins with a UTF-8 byte-order mark but its bytes are not UTF-8 text');
    return text;
  }
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    const text = decodeStrict(b[0] === 0xff ? 'utf-16le' : 'utf-16be', b);
    if (text === undefined || nul(text) >= 0)
      refuseEncoding('it begins with a UTF-16 byte-order mark but its bytes are not UTF-16 text');
    return text;
  }
  const charset = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8' && !charset.startsWith('utf-16')) {
    let text: string | undefined;
    if (
      charset === 'windows-1252' ||
      charset === 'cp1252' ||
      charset === 'iso-8859-1' ||
      charset === 'latin1' ||
      charset === 'us-ascii'
    ) {
      // WHATWG reads all of these labels as Windows-1252.
      text = b.some((x) => x === 0 || UNDEFINED_IN_1252.has(x)) ? undefined : decodeWindows1252(b);
    } else {
      try {
        text = new TextDecoder(charset, { fatal: true }).decode(b);
      } catch {
        // An unknown label or bytes that do not fit it: the bytes decide below.
      }
    }
    if (text !== undefined && nul(text) < 0) return text;
  }
  const utf8 = decodeStrict('utf-8', b);
  if (utf8 !== undefined) {
    const at = nul(utf8);
    if (at >= 0)
      refuseEncoding(
        `byte ${Buffer.byteLength(utf8.slice(0, at), 'utf8') + 1} is a NUL, which text never holds (UTF-16 without its byte-order mark, or not a text file)`,
      );
    return utf8;
  }
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0 || UNDEFINED_IN_1252.has(b[i]!))
      refuseEncoding(
        `byte ${i + 1} (0x${b[i]!.toString(16).padStart(2, '0')}) is not valid UTF-8 and has no meaning in Windows-1252`,
      );
  }
  return decodeWindows1252(b);
}

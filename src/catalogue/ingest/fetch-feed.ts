import { FeedRefusedError } from './parse-ical.ts';

export type FetchedFeed = { text: string; etag: string | null; lastModified: string | null; contentType: string | null };

export type FetchFeedOptions = {
  timeoutMs?: number;
  maxBytes?: number;
  etag?: string | null;
  lastModified?: string | null;
  /** Gives up early (the server is stopping). */
  signal?: AbortSignal;
};

const timeoutOr = (ms: number, signal?: AbortSignal) => (signal ? AbortSignal.any([AbortSignal.timeout(ms), signal]) : AbortSignal.timeout(ms));

/** Partners' URLs are outside our control: bounded in time and size, and every failure is one clear sentence. */
export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchedFeed | 'not-modified'> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FeedRefusedError(`"${url}" is not a valid URL.`);
  }
  if (parsed.protocol === 'webcal:') parsed.protocol = 'https:';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FeedRefusedError(`Only http(s) and webcal feeds can be fetched, not ${parsed.protocol}`);
  }
  const headers: Record<string, string> = { accept: 'text/calendar, application/json, text/csv;q=0.9, */*;q=0.5' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  let response: Response;
  try {
    response = await fetch(parsed, { headers, signal: timeoutOr(options.timeoutMs ?? 30_000, options.signal), redirect: 'follow' });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'it did not answer in time' : (error as Error).message;
    throw new FeedRefusedError(`Could not fetch ${parsed.host}: ${reason}.`);
  }
  if (response.status === 304) return 'not-modified';
  if (!response.ok) throw new FeedRefusedError(`${parsed.host} answered HTTP ${response.status}; nothing was imported.`);
  const max = options.maxBytes ?? 50 * 1024 * 1024;
  const buffer = Buffer.from(await response.arrayBuffer());
  if (buffer.byteLength > max) throw new FeedRefusedError(`The feed is larger than ${Math.round(max / 1048576)} MB.`);
  return {
    text: decodeText(buffer, response.headers.get('content-type')),
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
    contentType: response.headers.get('content-type'),
  };
}

/** UTF-8 unless the server or the bytes say otherwise (Windows-1252 is common in older exports). */
export function decodeText(buffer: Buffer, contentType?: string | null): string {
  const charset = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    try {
      return new TextDecoder(charset).decode(buffer);
    } catch {
      // Unknown label: fall through to UTF-8.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

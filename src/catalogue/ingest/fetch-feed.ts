import { FeedRefusedError } from './parse-ical.ts';

export type FetchedFeed = { text: string; etag: string | null; lastModified: string | null; contentType: string | null };

export type FetchFeedOptions = {
  timeoutMs?: number;
  maxBytes?: number;
  etag?: string | null;
  lastModified?: string | null;
};

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
    response = await fetch(parsed, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000), redirect: 'follow' });
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
    out += String.fromCharCode(...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
  }
  return out;
}

function refuseEncoding(why: string): never {
  throw new FeedRefusedError(`The input is not text in UTF-8, UTF-16 (with a byte-order mark) or Windows-1252: ${why}.`);
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
    if (text === undefined || nul(text) >= 0) refuseEncoding('it begins with a UTF-8 byte-order mark but its bytes are not UTF-8 text');
    return text;
  }
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    const text = decodeStrict(b[0] === 0xff ? 'utf-16le' : 'utf-16be', b);
    if (text === undefined || nul(text) >= 0) refuseEncoding('it begins with a UTF-16 byte-order mark but its bytes are not UTF-16 text');
    return text;
  }
  const charset = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8' && !charset.startsWith('utf-16')) {
    let text: string | undefined;
    if (charset === 'windows-1252' || charset === 'cp1252' || charset === 'iso-8859-1' || charset === 'latin1' || charset === 'us-ascii') {
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
    if (at >= 0) refuseEncoding(`byte ${Buffer.byteLength(utf8.slice(0, at), 'utf8') + 1} is a NUL, which text never holds (UTF-16 without its byte-order mark, or not a text file)`);
    return utf8;
  }
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0 || UNDEFINED_IN_1252.has(b[i]!)) refuseEncoding(`byte ${i + 1} (0x${b[i]!.toString(16).padStart(2, '0')}) is not valid UTF-8 and has no meaning in Windows-1252`);
  }
  return decodeWindows1252(b);
}

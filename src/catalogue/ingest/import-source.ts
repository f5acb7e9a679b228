import type { Database } from '../../db/sql.ts';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.ts';
import type { ImportReport, SourceFormat } from '../model.ts';
import { applyImport } from './apply-import.ts';
import { contentHash } from './content-hash.ts';
import type { FeedAllowList } from './feed-address-policy.ts';
import { decodeText, fetchFeed } from './fetch-feed.ts';
import { parseCoordinatorCsv } from './parse-coordinator-csv.ts';
import { parseHsds } from './parse-hsds.ts';
import { FeedRefusedError, parseIcal } from './parse-ical.ts';

export type ImportRequest = {
  /** A file path or an http(s)/webcal URL. */
  input: string;
  source?: string;
  format?: SourceFormat;
  now: Date;
  horizonDays?: number;
  /** Private hosts and ranges that may be fetched from all the same (FEED_ALLOW_PRIVATE_HOSTS). */
  allowPrivateHosts?: FeedAllowList;
};

export type ParsedInput = { entries: unknown[]; rejected: { ref: string; reason: string }[] };

export type FormatContext = {
  now: Date;
  horizonDays?: number;
  origin: string;
  /** Reads another file or URL named relative to the input (data package tables, further pages of a directory). */
  load(ref: string): Promise<string>;
};

/** A parser turns one input's text into entries; each format registers one. */
export type FormatParser = (text: string, context: FormatContext) => ParsedInput | Promise<ParsedInput>;

const PARSERS: Partial<Record<SourceFormat, FormatParser>> = {
  ical: (text, { now, horizonDays }) => parseIcal(text, { now, ...(horizonDays ? { horizonDays } : {}) }),
  hsds: parseHsds,
  csv: parseCoordinatorCsv,
};

export function registerFormat(format: SourceFormat, parser: FormatParser): void {
  PARSERS[format] = parser;
}

export function isUrl(input: string): boolean {
  return /^(https?|webcal):\/\//i.test(input);
}

/** A readable default source name: the file name without extension, or the URL's host and path. */
export function defaultSourceName(input: string): string {
  if (isUrl(input)) {
    const url = new URL(input);
    return `${url.host}${url.pathname.replace(/\/$/, '')}`.slice(0, 100);
  }
  return (
    path
      .basename(input)
      .replace(/\.[^.]+$/, '')
      .slice(0, 100) || 'import'
  );
}

export function detectFormat(input: string, text: string): SourceFormat | undefined {
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 200)
    .toUpperCase();
  if (head.startsWith('BEGIN:VCALENDAR')) return 'ical';
  const file = input.split('?')[0] ?? '';
  if (/\.(ics|ical|ifb|icalendar)$/i.test(file)) return 'ical';
  // JSON is Open Referral (a service, a page of services, a data package descriptor); a CSV with a title column is a
  // coordinator's sheet.
  if (head.startsWith('{') || head.startsWith('[') || /\.json$/i.test(file)) return 'hsds';
  const firstLine =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0]
      ?.toLowerCase() ?? '';
  if (/(^|,)\s*"?(title|name)"?\s*(,|$)/.test(firstLine) && firstLine.includes(',')) return 'csv';
  return undefined;
}

/** Reads a file or URL that an input names, relative to the input. */
function loaderFor(origin: string, allowPrivateHosts: FeedAllowList | undefined): (ref: string) => Promise<string> {
  return async (ref) => {
    if (isUrl(ref) || isUrl(origin)) {
      const url = isUrl(ref) ? ref : new URL(ref, origin).toString();
      const fetched = await fetchFeed(url, allowPrivateHosts ? { allowPrivateHosts } : {});
      if (fetched === 'not-modified')
        throw new FeedRefusedError(`${new URL(url).host} answered "not modified" to a fresh request.`);
      return fetched.text;
    }
    const file = path.resolve(path.dirname(origin), ref);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FeedRefusedError(
        code === 'ENOENT' ? `No such file: ${file}` : `Could not read ${file}: ${(error as Error).message}`,
      );
    }
    return decodeText(bytes);
  };
}

/**
 * Reads, parses and writes one input as a single transaction. Input that is not what it claims (an HTML page, a
 * truncated file, an unreachable URL) throws FeedRefusedError before anything is written. The store may still be
 * opening (a promise): it is waited for only once the input is parsed.
 */
export async function importSource(
  store: Database | Promise<Database>,
  request: ImportRequest,
  logger: Logger,
): Promise<ImportReport> {
  const log = logger.child('import');
  let origin = request.input;
  // A data package can be named by its folder.
  if (!isUrl(origin) && (await fs.stat(origin).catch(() => undefined))?.isDirectory()) {
    origin = path.join(origin, 'datapackage.json');
  }
  let text: string;
  let fetchMeta: { etag: string | null; lastModified: string | null } | undefined;
  if (isUrl(origin)) {
    const fetched = await fetchFeed(
      origin,
      request.allowPrivateHosts ? { allowPrivateHosts: request.allowPrivateHosts } : {},
    );
    if (fetched === 'not-modified') throw new FeedRefusedError('The feed answered "not modified" to a fresh request.');
    text = fetched.text;
    fetchMeta = { etag: fetched.etag, lastModified: fetched.lastModified };
  } else {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(origin);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FeedRefusedError(
        code === 'ENOENT' ? `No such file: ${origin}` : `Could not read ${origin}: ${(error as Error).message}`,
      );
    }
    text = decodeText(bytes);
  }
  const format = request.format ?? detectFormat(origin, text);
  if (!format) {
    throw new FeedRefusedError(
      `Could not tell what format ${path.basename(origin)} is in; pass --format (ical${
        Object.keys(PARSERS).length > 1
          ? ', ' +
            Object.keys(PARSERS)
              .filter((f) => f !== 'ical')
              .join(', ')
          : ''
      }).`,
    );
  }
  const parser = PARSERS[format];
  if (!parser) throw new FeedRefusedError(`Importing the ${format} format is not supported.`);
  const parsed = await parser(text, {
    now: request.now,
    origin,
    load: loaderFor(origin, request.allowPrivateHosts),
    ...(request.horizonDays ? { horizonDays: request.horizonDays } : {}),
  });
  const sourceName = request.source ?? defaultSourceName(request.input.replace(/[\\/]datapackage\.json$/i, ''));
  const report = await (await store).transaction((tx) =>
    applyImport(
      tx,
      { name: sourceName, format, ...(isUrl(origin) ? { url: origin } : {}) },
      parsed.entries,
      parsed.rejected,
      { now: request.now, fetch: { ...fetchMeta, contentHash: contentHash(text) } },
    ),
  );
  log.info('import finished', {
    source: report.source,
    format,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    removed: report.removed,
    rejected: report.rejected.length,
  });
  return report;
}

import fs from 'node:fs';
import path from 'node:path';
import { leafletFileName, renderLeaflet } from '../../catalogue/shortlist/leaflet-pdf.ts';
import { loadListings } from '../../catalogue/shortlist/load-listings.ts';
import { MAX_SHORTLIST } from '../../catalogue/shortlist/shortlist-store.ts';
import { buildSmsText } from '../../catalogue/shortlist/sms-text.ts';
import { createDatabaseSearch } from '../../catalogue/search/database-search.ts';
import { type CliContext, type Command, CommandError, type ParsedArgs, stringOption, UsageError } from '../command.ts';

/** `--entries <id>,<id>`: the listings, in order, each once. */
function entryIds(args: ParsedArgs, usage: string): string[] {
  const raw = stringOption(args, 'entries');
  if (!raw) throw new UsageError(usage);
  const ids = [
    ...new Set(
      raw
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0) throw new UsageError(usage);
  if (ids.length > MAX_SHORTLIST)
    throw new CommandError('SHORTLIST.TOO_MANY', `At most ${MAX_SHORTLIST} listings at a time (got ${ids.length}).`);
  return ids;
}

async function listingsOf(ctx: CliContext, ids: string[]) {
  const { listings, missing } = await loadListings(createDatabaseSearch(await ctx.database()), ids, {
    now: ctx.now,
    publicUrl: ctx.config.publicUrl,
  });
  if (missing.length) {
    throw new CommandError(
      'SHORTLIST.NOT_FOUND',
      `Not a listing in the catalogue now (closed, removed or unknown): ${missing.join(', ')}. Nothing was written.`,
    );
  }
  return listings;
}

const SMS_USAGE = 'sms --entries <id>,<id>[,…] [--json]';

/** A resident's text message: GSM-7, at most three segments. */
export const smsCommand: Command = {
  name: 'sms',
  summary: 'The listings as one text message for a resident (GSM-7, at most three SMS segments)',
  usage: SMS_USAGE,
  options: { entries: { type: 'string' } },
  async run(ctx, args) {
    const sms = buildSmsText(await listingsOf(ctx, entryIds(args, SMS_USAGE)));
    // On stderr, so that stdout is the message alone, ready to send.
    if (sms.omitted.length) {
      ctx.stderr.write(
        `Too long for three SMS segments: left out ${sms.omitted.map((l) => `${l.id} (${l.title})`).join(', ')}.\n`,
      );
    }
    return {
      json: {
        segments: sms.segments,
        characters: sms.characters,
        text: sms.text,
        omitted: sms.omitted.map((l) => l.id),
      },
      text: sms.text,
    };
  },
};

const LEAFLET_USAGE = 'leaflet --entries <id>,<id>[,…] [--large-print] --out <file.pdf> [--json]';

/** A printable one-page A4 leaflet with a QR code to each listing's page. */
export const leafletCommand: Command = {
  name: 'leaflet',
  summary: 'A one-page A4 leaflet (PDF) of the listings, with QR codes to their pages; --large-print for 16 pt and up',
  usage: LEAFLET_USAGE,
  options: { entries: { type: 'string' }, 'large-print': { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx, args) {
    const out = stringOption(args, 'out');
    if (!out) throw new UsageError(LEAFLET_USAGE);
    const ids = entryIds(args, LEAFLET_USAGE);
    const print = args.values['large-print'] === true ? 'large' : 'normal';
    const leaflet = await renderLeaflet(await listingsOf(ctx, ids), { print, now: ctx.now });
    const file = path.resolve(ctx.cwd, out.endsWith(path.sep) ? path.join(out, leafletFileName(print)) : out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, leaflet.pdf);
    const omitted = leaflet.omitted.map((l) => l.id);
    const text = [
      `Wrote ${file} (${print === 'large' ? 'large print, ' : ''}${leaflet.included.length} ${leaflet.included.length === 1 ? 'listing' : 'listings'}, ${leaflet.pdf.length} bytes).`,
      ...(omitted.length
        ? [`Did not fit on one page: ${leaflet.omitted.map((l) => `${l.id} (${l.title})`).join(', ')}.`]
        : []),
    ].join('\n');
    return {
      json: { out: file, print, bytes: leaflet.pdf.length, entries: leaflet.included.map((l) => l.id), omitted },
      text,
    };
  },
};

import { renderIcal, type SkippedEntry } from '../../catalogue/export/export-ical.ts';
import { renderOruk } from '../../catalogue/export/export-oruk.ts';
import { ExportFilterSchema, readCatalogue } from '../../catalogue/export/read-catalogue.ts';
import { describeIssues } from '../../catalogue/ingest/apply-import.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write the catalogue to stdout as iCalendar or Open Referral UK 3.0 JSON',
  usage: 'export --format ical|oruk [--source <name>] [--ward <ward>] [--category <c>] [--kind <k>] [--audience <a>]',
  options: {
    format: { type: 'string' },
    source: { type: 'string' },
    ward: { type: 'string' },
    category: { type: 'string' },
    kind: { type: 'string' },
    audience: { type: 'string' },
  },
  async run(ctx, args) {
    const format = stringOption(args, 'format');
    if (format !== 'ical' && format !== 'oruk') throw new UsageError('export needs --format ical or --format oruk');
    const raw: Record<string, string> = {};
    for (const key of ['source', 'ward', 'category', 'kind', 'audience']) {
      const value = stringOption(args, key);
      if (value !== undefined) raw[key] = value;
    }
    const filter = ExportFilterSchema.safeParse(raw);
    if (!filter.success) throw new UsageError(describeIssues(filter.error.issues));
    const { entries } = await readCatalogue((await ctx.database()).sql, filter.data);
    const onSkip = (skipped: SkippedEntry) => {
      ctx.logger.warn('export entry left out: it could not be written', { format, ...skipped });
      ctx.stderr.write(`Left out entry ${skipped.entryId}: it could not be written (${skipped.reason}).\n`);
    };
    const options = { now: ctx.now, horizonDays: ctx.config.importHorizonDays, onSkip };
    if (format === 'oruk') {
      const page = renderOruk(entries, options);
      return { json: page, text: JSON.stringify(page, null, 2) };
    }
    const ical = renderIcal(entries, options);
    // The runner ends the output with "\n": leave the "\r" so the last line ends in CRLF like the rest.
    return {
      json: { format: 'ical', entries: entries.filter((e) => e.occurrences.length > 0).length, ical },
      text: ical.slice(0, -1),
    };
  },
};

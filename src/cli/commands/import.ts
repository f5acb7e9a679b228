import { importSource } from '../../catalogue/ingest/import-source.ts';
import { SourceFormatSchema } from '../../catalogue/model.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'Import an iCalendar feed, Open Referral (HSDS/ORUK) data or a coordinator CSV into the catalogue',
  usage: 'import <file|folder|url> [--source <name>] [--format ical|hsds|csv]',
  options: { source: { type: 'string' }, format: { type: 'string' } },
  async run(ctx, args) {
    const input = args.positionals[0];
    if (!input) throw new UsageError('import needs a file or URL');
    if (args.positionals.length > 1) throw new UsageError('import takes one file or URL at a time');
    const formatText = stringOption(args, 'format');
    const format = formatText === undefined ? undefined : SourceFormatSchema.safeParse(formatText);
    if (format && !format.success) throw new UsageError(`unknown format "${formatText}"`);
    const source = stringOption(args, 'source');
    // The store opens on its own thread while this one reads and parses the input (a large directory takes seconds
    // of each); importSource waits for it only to write. A store that cannot open is reported then.
    const database = ctx.database();
    database.catch(() => {});
    const report = await importSource(
      database,
      {
        input,
        now: ctx.now,
        horizonDays: ctx.config.importHorizonDays,
        allowPrivateHosts: ctx.config.feedAllowPrivateHosts,
        ...(source ? { source } : {}),
        ...(format?.success ? { format: format.data } : {}),
      },
      ctx.logger,
    );
    const lines = [
      `Imported ${input} as source "${report.source}" (${report.format}): ${report.created} created, ` +
        `${report.updated} updated, ${report.unchanged} unchanged, ${report.removed} removed, ${report.rejected.length} rejected.`,
      ...report.rejected.slice(0, 20).map((r) => `  rejected ${r.ref}: ${r.reason}`),
      ...(report.rejected.length > 20 ? [`  … and ${report.rejected.length - 20} more (use --json for all)`] : []),
    ];
    return { json: report, text: lines.join('\n') };
  },
};

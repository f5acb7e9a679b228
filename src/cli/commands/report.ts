import { parseLondonDateTime, toLondonDate } from '../../catalogue/time.ts';
import { toCsv } from '../../insights/csv.ts';
import { freshnessReport } from '../../insights/freshness-report.ts';
import { gapsReport } from '../../insights/gaps-report.ts';
import { trainingReport } from '../../insights/insights-overview.ts';
import { searchesReport } from '../../insights/searches-report.ts';
import { outcomeCsvRows, outcomesReport } from '../../insights/outcomes-report.ts';
import { purgeInsights } from '../../insights/sql-insights-recorder.ts';
import { describeGap } from '../../insights/chat-insights.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

const REPORTS = ['gaps', 'searches', 'training', 'freshness', 'outcomes', 'purge'] as const;

function dateOption(value: string | undefined, name: string, fallback: Date): Date {
  if (!value) return fallback;
  const parsed = parseLondonDateTime(value);
  if (!parsed) throw new UsageError(`--${name} "${value}" is not a date such as 2026-11-01`);
  return parsed;
}

export const reportCommand: Command = {
  name: 'report',
  summary:
    'Anonymous insights: unmet needs (gaps), searches, training against targets, freshness, outcomes; purge old data',
  usage: 'report gaps|searches|training|freshness|outcomes|purge [--from <date>] [--to <date>] [--csv] [--all]',
  options: { from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' }, all: { type: 'boolean' } },
  async run(ctx, args) {
    const which = args.positionals[0] as (typeof REPORTS)[number] | undefined;
    if (!which || !REPORTS.includes(which)) throw new UsageError(`say which report: ${REPORTS.join(', ')}`);
    const db = await ctx.database();
    const to = dateOption(stringOption(args, 'to'), 'to', ctx.now);
    const from = dateOption(stringOption(args, 'from'), 'from', new Date(to.getTime() - 90 * 86_400_000));
    const settings = {
      trainingTargets: ctx.config.trainingTargets,
      trainingValidity: ctx.config.trainingValidity,
      staleMonths: ctx.config.insights.staleMonths,
    };
    const csv = args.values.csv === true;
    switch (which) {
      case 'gaps': {
        const rows = await gapsReport(db, { from, to, includeMet: args.values.all === true });
        if (csv)
          return {
            json: rows,
            text: toCsv(
              rows.map((g) => ({
                ...g,
                ward: g.ward ?? 'any',
                audience: g.audience ?? 'any',
                category: g.category ?? 'any',
                day: g.day ?? 'any',
                timeOfDay: g.timeOfDay ?? 'any',
              })),
              ['ward', 'audience', 'category', 'day', 'timeOfDay', 'searches', 'noResults', 'relaxed'],
            ).trimEnd(),
          };
        const text = rows.length
          ? rows
              .map(
                (g) =>
                  `${String(g.noResults).padStart(4)} nothing  ${String(g.relaxed).padStart(4)} wider  ${String(g.searches).padStart(4)} asked  ${describeGap(g)}`,
              )
              .join('\n')
          : `No unmet needs between ${toLondonDate(from)} and ${toLondonDate(to)}.`;
        return { json: rows, text };
      }
      case 'searches': {
        const report = await searchesReport(db, from, to);
        const t = report.totals;
        return {
          json: report,
          text: csv
            ? toCsv(report.byWard).trimEnd()
            : `${t.searches} searches, ${t.noResults} found nothing, ${t.relaxed} needed wider filters; ${t.opened} opened, ${t.shared} shared, ${t.booked} booked.`,
        };
      }
      case 'training': {
        const rows = await trainingReport(db, ctx.now, settings);
        return {
          json: rows,
          text: csv
            ? toCsv(rows).trimEnd()
            : rows
                .map(
                  (c) =>
                    `${c.course}: ${c.trained} trained${c.target !== null ? ` of ${c.target}` : ''}, attendance ${c.attendanceRate === null ? 'not marked' : `${Math.round(c.attendanceRate * 100)}%`}`,
                )
                .join('\n'),
        };
      }
      case 'freshness': {
        const report = await freshnessReport(db, ctx.now, { staleMonths: settings.staleMonths });
        return {
          json: report,
          text: csv
            ? toCsv(report.staleEntries).trimEnd()
            : [
                `${report.staleEntries.length} listings not confirmed since ${report.staleBefore}; ${report.failingFeeds.length} failing feeds.`,
                ...report.failingFeeds.map((f) => `  feed ${f.name}: ${f.lastError}`),
              ].join('\n'),
        };
      }
      case 'outcomes': {
        const rows = await outcomesReport(db, { from, to });
        if (csv) {
          const flat = outcomeCsvRows(rows);
          return { json: rows, text: toCsv(flat.rows, flat.columns).trimEnd() };
        }
        const text = rows.length
          ? rows
              .map(
                (r) =>
                  `${String(r.shared).padStart(4)} shared  ${String(r.went).padStart(4)} went  ${String(r.didntGo).padStart(4)} didn't go  ${String(r.unsuitable).padStart(4)} unsuitable  ${r.title}`,
              )
              .join('\n')
          : `No shares recorded between ${toLondonDate(from)} and ${toLondonDate(to)}.`;
        return { json: rows, text };
      }
      case 'purge': {
        const purged = await purgeInsights(db, ctx.now, {
          keepQuestionsDays: ctx.config.insights.keepQuestionsDays,
          keepStatsDays: ctx.config.insights.keepStatsDays,
        });
        return {
          json: purged,
          text: `Deleted ${purged.redactedQuestions} kept questions, ${purged.searchStats} search statistics and ${purged.resultEvents} result events past their time.`,
        };
      }
    }
  },
};

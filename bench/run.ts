import fs from 'node:fs';
import { benchDigests } from './digests.ts';
import { benchFeeds } from './feeds.ts';
import { benchIcalImport } from './ical-import.ts';
import { benchOrukImport } from './oruk-import.ts';
import { benchSearch } from './search.ts';
import { benchSlackAck } from './slack-ack.ts';
import { benchStaff } from './staff.ts';
import { type Figure, fmt, table } from './stats.ts';
import { benchTeams } from './teams.ts';
import { benchTeamsExtension } from './teams-extension.ts';

// `npm run bench [name…] [--save]`: every benchmark, or only those named. Beside each figure a suite returns, the
// last committed figure from bench/last.json, so a slower change shows in its own note; `--save` records this run's.
const suites: Record<string, () => Promise<Figure[] | void>> = {
  ical: benchIcalImport,
  oruk: benchOrukImport,
  slack: benchSlackAck,
  digests: benchDigests,
  search: benchSearch,
  feeds: benchFeeds,
  teams: benchTeams,
  'teams-extension': benchTeamsExtension,
  staff: benchStaff,
};
const LAST_FILE = new URL('./last.json', import.meta.url);
type Last = { recorded: string; node: string; figures: Record<string, number> };

const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in suites));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}.`);
  process.exit(1);
}
const last: Last = fs.existsSync(LAST_FILE)
  ? (JSON.parse(fs.readFileSync(LAST_FILE, 'utf8')) as Last)
  : { recorded: '', node: '', figures: {} };
console.log(`# Signpost benchmarks (${new Date().toISOString()}, Node ${process.version})`);
if (last.recorded) console.log(`Compared with bench/last.json (${last.recorded}, Node ${last.node}).`);
const measured: Figure[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  const figures = (await run()) ?? [];
  measured.push(...figures);
  if (figures.length) console.log(`\n${compare(figures)}`);
}
if (args.includes('--save')) {
  const figures = { ...last.figures };
  for (const f of measured) figures[f.name] = Math.round(f.value * 10) / 10;
  fs.writeFileSync(
    LAST_FILE,
    `${JSON.stringify({ recorded: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`,
  );
  console.log(`\nRecorded ${measured.length} figures in bench/last.json.`);
}

/** This run's figures beside the recorded ones; a change for the worse by more than 20% is marked. */
function compare(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const before = last.figures[f.name];
    if (before === undefined || before === 0) return [f.name, fmt(f.value, 1), '–', ''];
    const change = (f.value - before) / before;
    const worse = f.higherIsBetter ? change < -0.2 : change > 0.2;
    return [
      f.name,
      fmt(f.value, 1),
      fmt(before, 1),
      `${change >= 0 ? '+' : ''}${fmt(change * 100)}%${worse ? '  SLOWER' : ''}`,
    ];
  });
  return table(['figure', 'now', 'last recorded', 'change'], rows);
}

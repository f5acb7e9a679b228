import { benchDigests } from './digests.ts';
import { benchFeeds } from './feeds.ts';
import { benchIcalImport } from './ical-import.ts';
import { benchOrukImport } from './oruk-import.ts';
import { benchSearch } from './search.ts';
import { benchSlackAck } from './slack-ack.ts';
import { benchTeams } from './teams.ts';
import { benchTeamsExtension } from './teams-extension.ts';

// `npm run bench [name…]`: every benchmark, or only those named.
const suites: Record<string, () => Promise<void>> = { ical: benchIcalImport, oruk: benchOrukImport, slack: benchSlackAck, digests: benchDigests, search: benchSearch, feeds: benchFeeds, teams: benchTeams, 'teams-extension': benchTeamsExtension };
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
console.log(`# Signpost benchmarks (${new Date().toISOString()}, Node ${process.version})`);
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await run();
}

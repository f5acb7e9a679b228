import { toLondonIso } from '../../catalogue/time.ts';
import { setRefreshMinutes } from '../../scheduler/feed-refresh-queries.ts';
import { refreshDueFeeds, sourceHealth } from '../../scheduler/refresh-feeds.ts';
import { refreshTrustMarks } from '../../catalogue/trust/trust.ts';
import { type Command, stringOption, UsageError } from '../command.ts';

const iso = (d: Date | null) => (d ? toLondonIso(d) : null);

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'Feed health (last success, last error, events, next fetch); --refresh fetches due feeds now',
  usage: 'sources [--refresh [--force] [--source <name>]] [--every <minutes> --source <name>]',
  options: {
    refresh: { type: 'boolean' },
    force: { type: 'boolean' },
    source: { type: 'string' },
    every: { type: 'string' },
  },
  async run(ctx, args) {
    const db = await ctx.database();
    const name = stringOption(args, 'source');
    const every = stringOption(args, 'every');
    const notes: string[] = [];
    if (every !== undefined) {
      const minutes = Number(every);
      if (!name || !Number.isInteger(minutes) || minutes < 5)
        throw new UsageError('--every <minutes, at least 5> needs --source <name>');
      if (!(await setRefreshMinutes(db.sql, name, minutes))) throw new UsageError(`No source named ${name}`);
      notes.push(`${name} will be fetched every ${minutes} minutes.`);
    }
    if (args.values.refresh) {
      const outcomes = await refreshDueFeeds(db, ctx.now, ctx.logger, {
        force: args.values.force === true,
        allowPrivateHosts: ctx.config.feedAllowPrivateHosts,
        ...(name ? { onlySource: name } : {}),
      });
      await refreshTrustMarks(db.sql, ctx.now);
      notes.push(
        ...outcomes.map((o) => `${o.source}: ${o.outcome.replace('_', ' ')}${o.error ? ` (${o.error})` : ''}`),
      );
      if (outcomes.length === 0) notes.push('No feed was due.');
    }
    const health = await sourceHealth(db, ctx.now);
    const json = health.map((h) => ({
      name: h.name,
      format: h.format,
      url: h.url,
      lastSuccess: iso(h.lastSuccess),
      lastError: h.lastError,
      lastErrorAt: iso(h.lastErrorAt),
      failures: h.failures,
      events: h.events,
      nextFetch: iso(h.nextFetch),
      health: h.failures >= 2 ? 'failing' : h.failures === 1 ? 'retrying' : 'ok',
    }));
    const text = [
      ...notes,
      ...json.map(
        (h) =>
          `${h.name} (${h.format})${h.url ? ` ${h.url}` : ''}\n    ${h.events} upcoming events; last success ${h.lastSuccess ?? 'never'}` +
          `${h.nextFetch ? `; next fetch ${h.nextFetch}` : ''}${h.lastError ? `\n    ⚠ ${h.failures} failures in a row, last: ${h.lastError}` : ''}`,
      ),
    ].join('\n');
    return { json, text: text || 'No sources yet.' };
  },
};

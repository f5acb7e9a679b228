import type { Database } from '../db/sql.ts';
import { z } from 'zod';
import { ACTION } from '../bots/core/action-ids.ts';
import type { InsightsHooks } from '../bots/core/conversation.ts';
import type { InboundAction, InboundMessage } from '../bots/core/inbound.ts';
import {
  actions,
  context,
  heading,
  literal,
  type Reply,
  type ReplyBlock,
  type ReplyButton,
  text,
} from '../bots/core/reply.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { createFlag, FLAG_LABELS, listFlags } from './flags.ts';
import { gapsReport, type GapRow } from './gaps-report.ts';
import { FLAG_KINDS, type InsightsRecorder } from './ports.ts';

export const FlagValueSchema = z.object({ id: z.string().min(1).max(200), k: z.enum(FLAG_KINDS) });

export function flagButtons(entryId: string): ReplyButton[] {
  return FLAG_KINDS.map((k) => ({
    label: FLAG_LABELS[k],
    action: ACTION.flag,
    value: JSON.stringify({ id: entryId, k }),
  }));
}

const GAPS =
  /^\/?(?:gaps|unmet needs?|report gaps|show gaps|insights)(?:\s+(?:last\s+|for\s+)?(\d{1,3})\s*days?)?[.!?]?$/i;
const FLAGS = /^\/?(?:flags|open flags|reported problems|show flags)[.!?]?$/i;

export function describeGap(g: GapRow): string {
  const what = [g.category, g.audience?.replace(/_/g, ' ')].filter(Boolean).join(' for ') || 'anything';
  const where = g.ward ? `in ${g.ward}` : 'anywhere';
  const when = [g.day ? `on ${g.day}s` : '', g.timeOfDay ? `in the ${g.timeOfDay}` : ''].filter(Boolean).join(' ');
  return `${what} ${where}${when ? ` ${when}` : ''}`;
}

/**
 * The insights feature's conversation hooks: anonymous statistics, "report a problem" buttons under a result's
 * details, and the coordinators' `gaps` and `flags` commands.
 */
export function createChatInsights(deps: {
  store: Database;
  clock: Clock;
  logger: Logger;
  recorder: InsightsRecorder;
  /** Where coordinators find the full report, e.g. http://localhost:3978/insights. */
  pageUrl?: string;
}): InsightsHooks {
  const { store, clock } = deps;
  const log = deps.logger.child('insights');
  const more = deps.pageUrl
    ? `Charts and CSV downloads: ${deps.pageUrl}`
    : 'Charts and CSV downloads: /insights on the bot’s server.';

  async function gaps(days: number): Promise<Reply> {
    const now = clock.now();
    const from = new Date(now.getTime() - days * 86_400_000);
    const rows = await gapsReport(store, { from, to: now, limit: 10 });
    const blocks: ReplyBlock[] = [heading(`Unmet needs, last ${days} days`)];
    if (rows.length === 0) {
      blocks.push(text('Every search in this period found something that matched what was asked.'));
    } else {
      blocks.push(
        text(
          rows
            .map(
              (g, i) =>
                `${i + 1}. **${literal(describeGap(g))}**: ${g.noResults} found nothing, ${g.relaxed} needed wider filters (of ${g.searches} searches)`,
            )
            .join('\n'),
        ),
      );
    }
    blocks.push(context(`Anonymous counts: no questions or names are kept. ${more}`));
    const fallbackText = rows.length
      ? rows.map((g, i) => `${i + 1}. ${describeGap(g)}: ${g.noResults} found nothing`).join('\n')
      : 'No unmet needs recorded.';
    return { fallbackText, blocks, ephemeral: true };
  }

  async function flags(): Promise<Reply> {
    const open = await listFlags(store, { status: 'open' });
    const lines = open
      .slice(0, 15)
      .map(
        (f) =>
          `• **${literal(f.title ?? 'A removed listing')}**: ${FLAG_LABELS[f.kind].toLowerCase()}${f.note ? ` (“${literal(f.note)}”)` : ''}, ${f.createdAt.slice(0, 10)}`,
      );
    return {
      fallbackText: open.length ? `${open.length} open reports about listings.` : 'No open reports about listings.',
      blocks: [
        heading(`Reported problems with listings: ${open.length} open`),
        text(lines.length ? lines.join('\n') : 'Nothing reported. Staff can report a listing from its details.'),
        context(`Resolve with \`signpost flags resolve <id>\`. ${more}`),
      ],
      ephemeral: true,
    };
  }

  return {
    recorder: deps.recorder,
    decorateDetails(reply, entryId) {
      const buttons = actions(flagButtons(entryId));
      const at = reply.blocks.findIndex((b) => b.type === 'context');
      const blocks = [...reply.blocks];
      blocks.splice(
        at === -1 ? blocks.length : at,
        0,
        context('Something wrong with this listing? Tell the coordinators:'),
        buttons,
      );
      return { ...reply, blocks };
    },
    async flag(action: InboundAction) {
      let value: z.infer<typeof FlagValueSchema>;
      try {
        value = FlagValueSchema.parse(JSON.parse(action.value));
      } catch {
        log.warn('flag value refused', { platform: action.platform, length: action.value.length });
        return {
          fallbackText: 'That button has expired. Open the listing again to report it.',
          blocks: [text('That button has expired. Open the listing again to report it.')],
          ephemeral: true,
        };
      }
      const made = await createFlag(
        store,
        { entryId: value.id, kind: value.k, platform: action.platform },
        clock.now(),
      ).catch(() => undefined);
      if (!made) {
        return {
          fallbackText: 'That listing is no longer in the catalogue.',
          blocks: [text('That listing is no longer in the catalogue.')],
          ephemeral: true,
        };
      }
      log.info('listing flagged', { kind: value.k, created: made.created });
      const thanks = `Thank you. Coordinators will check it (“${FLAG_LABELS[value.k].toLowerCase()}”)${made.created ? '' : '; someone had already reported this, so it has been moved up'}.`;
      return { fallbackText: thanks, blocks: [text(thanks)], ephemeral: true };
    },
    async command(message: InboundMessage) {
      const t = message.text.trim();
      const g = GAPS.exec(t);
      const f = FLAGS.test(t);
      if (!g && !f) return undefined;
      if (!message.isCoordinator) {
        const sorry =
          'Insights are for coordinators. Ask a coordinator, or search as usual (for example “lunch club in Kilburn”).';
        return { fallbackText: sorry, blocks: [text(sorry)], ephemeral: true };
      }
      if (f) return flags();
      return gaps(Math.min(365, Math.max(1, Number(g?.[1] ?? 30))));
    },
  };
}

import { z } from 'zod';
import type { LeafletLinks } from '../../../catalogue/shortlist/leaflet-links.ts';
import { leafletFileName, type LeafletPrint, renderLeaflet } from '../../../catalogue/shortlist/leaflet-pdf.ts';
import type { ListingEssentials } from '../../../catalogue/shortlist/listing-essentials.ts';
import { loadListings } from '../../../catalogue/shortlist/load-listings.ts';
import { MAX_SMS_SEGMENTS, buildSmsText } from '../../../catalogue/shortlist/sms-text.ts';
import { MAX_SHORTLIST, type ShortlistKey, type ShortlistStore } from '../../../catalogue/shortlist/shortlist-store.ts';
import type { CatalogueSearch } from '../../../catalogue/search/types.ts';
import type { Clock } from '../../../clock.ts';
import type { Logger } from '../../../logger.ts';
import { ACTION } from '../action-ids.ts';
import type { InboundAction, Platform } from '../inbound.ts';
import { EntryValueSchema, parseActionValue } from '../replies/action-values.ts';
import { buildBadActionReply, buildGoneReply } from '../replies/errors.ts';
import { actions, context, heading, literal, type Reply, type ReplyBlock, type ReplyButton, text } from '../reply.ts';

/** Whose list: a staff member in one conversation. */
export type ShortlistOwner = { platform: Platform; userId: string; channelRef: string };

/**
 * One send of a list to a resident: which listings, how, and the member of staff who sent it (for the "Did it
 * help?" follow-up, which keeps their id only until it is asked). Nothing about the resident.
 */
export type ShortlistSend = {
  kind: 'sms' | 'leaflet';
  platform: Platform;
  entryIds: string[];
  at: Date;
  userId: string;
  channelRef: string;
};

/**
 * The list for a resident, in every chat: *Add to list* on results, *Send list*, then a text message (GSM-7, at most
 * three segments) or a one-page leaflet (normal or large print). The list holds entry ids only.
 */
export type ShortlistHooks = {
  add(owner: ShortlistOwner, entryId: string): Promise<Reply>;
  show(owner: ShortlistOwner): Promise<Reply>;
  sms(owner: ShortlistOwner): Promise<Reply>;
  leaflet(owner: ShortlistOwner, print: LeafletPrint): Promise<Reply>;
  clear(owner: ShortlistOwner): Promise<Reply>;
  /** Every `shortlist.*` button, with its raw value. */
  handleAction(action: InboundAction): Promise<Reply>;
};

export const LeafletValueSchema = z.object({ print: z.enum(['normal', 'large']) });

const sendListButton = (): ReplyButton => ({
  label: 'Send list',
  action: ACTION.shortlistShow,
  value: '{}',
  style: 'primary',
});
const removeButton = (id: string): ReplyButton => ({
  label: 'Remove',
  action: ACTION.shortlistRemove,
  value: JSON.stringify({ id }),
});

const PRIVACY =
  'The list holds listings only, nothing about the resident, and is forgotten a day after its last change.';

const say = (body: string, buttons: ReplyButton[] = []): Reply => ({
  fallbackText: body,
  blocks: [text(literal(body)), ...(buttons.length ? [actions(buttons)] : [])],
  ephemeral: true,
});

const DEMO = 'Demo data: these listings are invented; do not send them to anyone.';
const demoNote = (l: ListingEssentials[]): ReplyBlock[] => (l.some((x) => x.isDemo) ? [context(DEMO)] : []);

/** Titles come from partners' feeds: always literal inside markup. */
const quoted = (l: { title: string }[]) => l.map((x) => `“${literal(x.title)}”`).join(', ');

export function createShortlistHooks(deps: {
  lists: ShortlistStore;
  search: CatalogueSearch;
  clock: Clock;
  logger: Logger;
  /** PUBLIC_URL: listing page links in texts and leaflets. */
  publicUrl: string;
  /** Signed links to leaflets, for platforms that take links rather than files (Teams). */
  links?: LeafletLinks;
  /** How many days a leaflet link works (said in the reply). */
  linkDays?: number;
  /** Called once for every list sent to a resident: the one place a send is recorded. */
  onSend?: (send: ShortlistSend) => Promise<void>;
}): ShortlistHooks {
  const log = deps.logger.child('shortlist');
  const keyOf = (o: ShortlistOwner): ShortlistKey => ({
    platform: o.platform,
    channelRef: o.channelRef,
    userId: o.userId,
  });

  /** The list's listings still running; those that are not any longer are taken off it. */
  async function current(owner: ShortlistOwner, now: Date): Promise<{ ids: string[]; listings: ListingEssentials[] }> {
    const ids = await deps.lists.get(keyOf(owner), now);
    const { listings, missing } = await loadListings(deps.search, ids, { now, publicUrl: deps.publicUrl });
    if (missing.length) {
      await deps.lists.set(
        keyOf(owner),
        ids.filter((id) => !missing.includes(id)),
        now,
      );
    }
    return { ids: listings.map((l) => l.id), listings };
  }

  async function sent(owner: ShortlistOwner, kind: ShortlistSend['kind'], included: ListingEssentials[], at: Date) {
    log.info('list sent', { platform: owner.platform, kind, listings: included.length });
    await deps.onSend?.({
      kind,
      platform: owner.platform,
      entryIds: included.map((l) => l.id),
      at,
      userId: owner.userId,
      channelRef: owner.channelRef,
    });
  }

  const emptyReply = () =>
    say('The list is empty. Press Add to list on a result (or type “add 2”) to put it on the list for the resident.');

  const hooks: ShortlistHooks = {
    async add(owner, entryId) {
      const now = deps.clock.now();
      const result = await deps.search.getResult(entryId, now);
      if (!result) return buildGoneReply();
      const ids = await deps.lists.get(keyOf(owner), now);
      if (ids.includes(result.id))
        return say(`“${result.title}” is already on the list (${ids.length} of ${MAX_SHORTLIST}).`, [sendListButton()]);
      if (ids.length >= MAX_SHORTLIST) {
        return say(`The list holds ${MAX_SHORTLIST} listings at most. Send it, or remove one first.`, [
          sendListButton(),
        ]);
      }
      const next = [...ids, result.id];
      await deps.lists.set(keyOf(owner), next, now);
      return say(`Added “${result.title}” to the list for the resident (${next.length} of ${MAX_SHORTLIST}).`, [
        sendListButton(),
      ]);
    },

    async show(owner) {
      const { listings } = await current(owner, deps.clock.now());
      if (listings.length === 0) return emptyReply();
      const blocks: ReplyBlock[] = [
        heading(`List for the resident: ${listings.length} ${listings.length === 1 ? 'listing' : 'listings'}`),
        {
          type: 'list',
          items: listings.map((l, i) => ({
            title: `${i + 1}. ${l.title}`,
            lines: [l.when, l.place].filter((x): x is string => !!x),
            buttons: [removeButton(l.id)],
          })),
        },
        text('Send it as:'),
        actions([
          { label: 'Text message (SMS)', action: ACTION.shortlistSms, value: '{}', style: 'primary' },
          { label: 'Leaflet (PDF)', action: ACTION.shortlistLeaflet, value: JSON.stringify({ print: 'normal' }) },
          { label: 'Large-print leaflet', action: ACTION.shortlistLeaflet, value: JSON.stringify({ print: 'large' }) },
          { label: 'Clear list', action: ACTION.shortlistClear, value: '{}', style: 'danger' },
        ]),
        context(PRIVACY),
        ...demoNote(listings),
      ];
      return {
        fallbackText: `List for the resident: ${listings.map((l) => l.title).join('; ')}. Send it as a text message or a leaflet.`,
        blocks,
        ephemeral: true,
      };
    },

    async sms(owner) {
      const now = deps.clock.now();
      const { listings } = await current(owner, now);
      if (listings.length === 0) return emptyReply();
      const sms = buildSmsText(listings);
      await sent(owner, 'sms', sms.included, now);
      const blocks: ReplyBlock[] = [
        heading('Text message for the resident'),
        context(
          `Copy it into a text message: ${sms.segments} SMS ${sms.segments === 1 ? 'segment' : 'segments'}, ${sms.characters} characters. It holds nothing about the resident.`,
        ),
        text(literal(sms.text)),
      ];
      if (sms.omitted.length) {
        blocks.push(
          context(
            `A text holds ${MAX_SMS_SEGMENTS} SMS segments at most: ${sms.included.length} of ${listings.length} listings fit, so it leaves out ${quoted(sms.omitted)}. ` +
              'Send those in another text, or print a leaflet.',
          ),
        );
      }
      blocks.push(...demoNote(sms.included));
      return { fallbackText: sms.text, blocks, ephemeral: true };
    },

    async leaflet(owner, print) {
      const now = deps.clock.now();
      const { listings } = await current(owner, now);
      if (listings.length === 0) return emptyReply();
      const leaflet = await renderLeaflet(listings, { print, now });
      const link =
        owner.platform === 'teams' && deps.links
          ? await deps.links.create({ entryIds: leaflet.included.map((l) => l.id), largePrint: print === 'large', now })
          : undefined;
      await sent(owner, 'leaflet', leaflet.included, now);
      const what = `${print === 'large' ? 'Large-print leaflet' : 'Leaflet'} with ${leaflet.included.length} ${leaflet.included.length === 1 ? 'listing' : 'listings'}: one A4 page to print and give to the resident, each listing with a square code to its page.`;
      const blocks: ReplyBlock[] = [
        text(literal(what)),
        {
          type: 'attachment',
          filename: leafletFileName(print),
          mimeType: 'application/pdf',
          content: leaflet.pdf,
          ...(link ? { url: link.url, label: 'Open the leaflet (PDF)' } : {}),
        },
      ];
      if (link) blocks.push(context(`The link works for ${deps.linkDays ?? 7} days.`));
      if (leaflet.omitted.length) {
        blocks.push(
          context(
            `Only ${leaflet.included.length} of ${listings.length} listings fit on one page: it leaves out ${quoted(leaflet.omitted)}.`,
          ),
        );
      }
      blocks.push(...demoNote(leaflet.included));
      return { fallbackText: what, blocks, ephemeral: true };
    },

    async clear(owner) {
      await deps.lists.set(keyOf(owner), [], deps.clock.now());
      return say('The list is empty now.');
    },

    async handleAction(action) {
      switch (action.action) {
        case ACTION.shortlistAdd:
        case ACTION.shortlistRemove: {
          const value = parseActionValue(EntryValueSchema, action.value);
          if (!value) return bad(action);
          if (action.action === ACTION.shortlistAdd) return hooks.add(action, value.id);
          const now = deps.clock.now();
          const ids = await deps.lists.get(keyOf(action), now);
          await deps.lists.set(
            keyOf(action),
            ids.filter((id) => id !== value.id),
            now,
          );
          return ids.length <= 1 && ids.includes(value.id)
            ? say('Removed. The list is empty now.')
            : hooks.show(action);
        }
        case ACTION.shortlistShow:
          return hooks.show(action);
        case ACTION.shortlistSms:
          return hooks.sms(action);
        case ACTION.shortlistLeaflet: {
          const value = parseActionValue(LeafletValueSchema, action.value);
          return value ? hooks.leaflet(action, value.print) : bad(action);
        }
        case ACTION.shortlistClear:
          return hooks.clear(action);
        default:
          return bad(action);
      }
    },
  };

  function bad(action: InboundAction): Reply {
    log.warn('button value refused', { platform: action.platform, action: action.action, length: action.value.length });
    return buildBadActionReply();
  }

  return hooks;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCardText } from '../../../src/bots/teams/render-card.ts';
import { listingPageUrl } from '../../../src/catalogue/pages/listing-url.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import type { BotConnector } from '../../helpers/bot-connector.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import type { TestStore } from '../../helpers/test-db.ts';
import { startTeamsServer, type TeamsTestServer } from '../../helpers/teams-server.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const PUBLIC_URL = 'https://signpost.camden.test';

type Node = Record<string, unknown>;
type Attachment = {
  contentType: string;
  content: Node & { version?: string; body?: Node[]; title?: string; text?: string };
  preview?: Attachment;
};
type ExtensionResponse = {
  composeExtension: { type: string; attachmentLayout?: string; attachments?: Attachment[]; text?: string };
};

/** Every object inside a card, depth first. */
function nodes(card: unknown): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) for (const x of n) walk(x);
    else if (n && typeof n === 'object') {
      out.push(n as Node);
      for (const v of Object.values(n)) walk(v);
    }
  };
  walk(card);
  return out;
}
const openUrls = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === 'Action.OpenUrl')
    .map((n) => n.url as string);
const texts = (card: unknown) =>
  nodes(card).flatMap((n) => [n.text, n.value, n.title].filter((v): v is string => typeof v === 'string'));

describe('Teams message extension through the real Bot Framework endpoint', () => {
  let connector: BotConnector;
  let store: TestStore;
  let url: string;
  const search = () => createDatabaseSearch(store);

  let teams: TeamsTestServer;

  beforeAll(async () => {
    teams = await startTeamsServer(NOW, { PUBLIC_URL });
    ({ connector, store, url } = teams);
  });
  afterAll(() => teams.close());

  const invoke = async (fixture: string, value: Node): Promise<ExtensionResponse> => {
    connector.reset();
    const activity = teamsActivity(fixture, connector.serviceUrl, { value });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    // An invoke is answered in the HTTP response itself: nothing is posted to the connector.
    expect(connector.messages()).toEqual([]);
    return (await res.json()) as ExtensionResponse;
  };
  const query = (words: string, options: Node = { skip: 0, count: 25 }) =>
    invoke('compose-extension-query.json', {
      commandId: 'searchListings',
      parameters: [{ name: 'query', value: words }],
      queryOptions: options,
    });
  const queryLink = (link: string) => invoke('compose-extension-query-link.json', { url: link });

  it('answers a search with the listings the chat would show, each a preview and an Adaptive Card 1.5 linking to its page', async () => {
    const words = 'lunch club kentish town';
    const expected = await search().search({ text: words, now: NOW, limit: 25 });
    expect(expected.results.length).toBeGreaterThan(1);

    const answer = await query(words);
    expect(answer.composeExtension).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    const attachments = answer.composeExtension.attachments!;
    expect(attachments).toHaveLength(expected.results.length);
    attachments.forEach((attachment, i) => {
      const listing = expected.results[i]!;
      expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(attachment.content.version).toBe('1.5');
      expect(texts(attachment.content)).toContain(listing.title);
      expect(openUrls(attachment.content)).toEqual([listingPageUrl(PUBLIC_URL, listing.id)]);
      expect(attachment.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
      expect(attachment.preview?.content.title).toBe(escapeCardText(listing.title));
    });
    // The card is the listing alone: nothing of the words typed to find it.
    expect(JSON.stringify(attachments[0]!.content).toLowerCase()).not.toContain(words);
  });

  it('pages with skip and count, and shows what is coming up on the first run before anything is typed', async () => {
    const all = await search().search({ text: 'exercise', now: NOW, limit: 6 });
    const page = await query('exercise', { skip: 3, count: 3 });
    expect(page.composeExtension.attachments!.map((a) => openUrls(a.content)[0])).toEqual(
      all.results.slice(3, 6).map((r) => listingPageUrl(PUBLIC_URL, r.id)),
    );

    const first = await invoke('compose-extension-query.json', {
      commandId: 'searchListings',
      parameters: [{ name: 'initialRun', value: 'true' }],
      queryOptions: { skip: 0, count: 25 },
    });
    const upcoming = await search().search({ text: '', now: NOW, limit: 25 });
    expect(upcoming.results.length).toBeGreaterThan(0);
    expect(first.composeExtension.attachments!.map((a) => openUrls(a.content)[0])).toEqual(
      upcoming.results.map((r) => listingPageUrl(PUBLIC_URL, r.id)),
    );
  });

  it('puts the numbers to call first when the words show someone may be at risk', async () => {
    const answer = await query('domestic abuse not safe at home');
    const first = answer.composeExtension.attachments![0]!;
    expect(texts(first.content).join(' ')).toContain('999');
    expect(texts(first.content).join(' ')).toContain('0808 2000 247');
  });

  it('answers a command it does not know with a message instead of an error', async () => {
    const answer = await invoke('compose-extension-query.json', {
      commandId: 'somethingElse',
      parameters: [{ name: 'query', value: 'x' }],
    });
    expect(answer.composeExtension.type).toBe('message');
    expect(answer.composeExtension.text).toMatch(/out of date/);
  });

  it('unfurls a pasted listing-page link into the same card', async () => {
    const listing = (await search().search({ text: 'lunch club', now: NOW, limit: 1 })).results[0]!;
    const link = listingPageUrl(PUBLIC_URL, listing.id);
    const searched = (await query('lunch club')).composeExtension.attachments![0]!;

    const answer = await queryLink(`${link}?utm_source=teams`);
    expect(answer.composeExtension).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    const [attachment] = answer.composeExtension.attachments!;
    expect(attachment!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    // Link unfurling shows Adaptive Cards up to 1.3 (Teams docs); the body is the search result's card.
    expect(attachment!.content.version).toBe('1.3');
    expect(attachment!.content.body).toEqual(searched.content.body);
    expect(openUrls(attachment!.content)).toEqual([link]);
    expect(attachment!.preview?.content.title).toBe(escapeCardText(listing.title));
  });

  it('previews nothing for links that are not listing pages here, and says so for a listing that has closed', async () => {
    const listing = (await search().search({ text: 'befriending', now: NOW, limit: 1 })).results[0]!;
    for (const other of [
      `https://elsewhere.example/l/${listing.id}`,
      `${PUBLIC_URL}/insights`,
      `${PUBLIC_URL}/l/not-an-id`,
      'javascript:alert(1)',
    ]) {
      const answer = await queryLink(other);
      expect(answer.composeExtension.attachments, other).toEqual([]);
    }
    await store.sql.query(`UPDATE service SET status = 'closed' WHERE id = $1`, [listing.id]);
    const gone = await queryLink(listingPageUrl(PUBLIC_URL, listing.id));
    const card = gone.composeExtension.attachments![0]!.content;
    expect(texts(card).join(' ')).toContain('No longer listed');
    expect(texts(card).join(' ')).not.toContain(listing.title);
  });

  it('shows catalogue text as text: no markdown, links or HTML from a title reach the card or its preview', async () => {
    const listing = (await search().search({ text: 'knit and natter', now: NOW, limit: 1 })).results[0]!;
    await store.sql.query(`UPDATE service SET name = $2 WHERE id = $1`, [
      listing.id,
      '**Free** [Camden Council](https://evil.example/login) <b>now</b>',
    ]);
    const answer = await queryLink(listingPageUrl(PUBLIC_URL, listing.id));
    const attachment = answer.composeExtension.attachments![0]!;
    for (const text of [...texts(attachment.content), attachment.preview!.content.title!]) {
      expect(text).not.toContain('**Free**');
      expect(text).not.toContain('](');
      expect(text).not.toMatch(/<\/?b>/);
    }
    expect(openUrls(attachment.content)).toEqual([listingPageUrl(PUBLIC_URL, listing.id)]);
  });

  it("links a result's details card in the chat to its listing page", async () => {
    connector.reset();
    const ask = teamsActivity('message-personal.json', connector.serviceUrl, { text: 'lunch club' });
    expect(
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask) }))
        .status,
    ).toBe(200);
    connector.reset();
    const details = teamsActivity('message-personal.json', connector.serviceUrl, {
      text: 'details 1',
      id: 'details-1',
    });
    expect(
      (
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(details),
        })
      ).status,
    ).toBe(200);
    const card = (connector.messages().at(-1)!.activity.attachments as Attachment[])[0]!.content;
    const first = (await search().search({ text: 'lunch club', now: NOW, limit: 1 })).results[0]!;
    expect(openUrls(card)).toContain(listingPageUrl(PUBLIC_URL, first.id));
  });
});

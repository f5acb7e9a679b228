import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSlackApp,
  SLACK_BOT_SCOPES,
  SLACK_EVENTS_PATH,
  SLACK_OAUTH_REDIRECT_PATH,
} from '../../../../src/bots/slack/slack-app.ts';
import { fixedClock } from '../../../../src/clock.ts';
import type { Store } from '../../../../src/db/open-store.ts';
import { silentLogger } from '../../../../src/logger.ts';
import { buildSlackManifest } from '../../../../src/bots/slack/app-manifest.ts';
import { FakeConversation } from '../../../helpers/fake-conversation.ts';
import { createFakeSearch } from '../../../helpers/fake-search.ts';
import { slackPorts } from '../../../helpers/slack-server.ts';

type Manifest = {
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    slash_commands: { command: string; url: string }[];
    shortcuts: { callback_id: string; type: string }[];
    unfurl_domains: string[];
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    org_deploy_enabled: boolean;
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
};

const manifest = JSON.parse(fs.readFileSync('manifest.json', 'utf8')) as Manifest;

/** The bot scope each Web API method and event needs (docs.slack.dev method and event reference pages). */
const METHOD_SCOPES: Record<string, string | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.unfurl': 'links:write',
  'conversations.info': 'channels:read',
  'conversations.open': 'im:write',
  'files.uploadV2': 'files:write',
  'usergroups.users.list': 'usergroups:read',
  'views.open': null,
  'views.publish': null,
};
const EVENT_SCOPES: Record<string, string | null> = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  app_home_opened: null,
  link_shared: 'links:read',
  app_uninstalled: null,
  tokens_revoked: null,
};

/** The manifest names DM messages `message.im`; Bolt registers them as `message` (our listener answers only im). */
const toManifestEvent = (event: string) => (event === 'message' ? 'message.im' : event);

function slackSources(dir = 'src/bots/slack'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? slackSources(p) : p.endsWith('.ts') ? [fs.readFileSync(p, 'utf8')] : [];
  });
}

describe('manifest.json matches the code', () => {
  const app = createSlackApp({
    config: {
      botToken: 'xoxb-test',
      signingSecret: '0123456789abcdef',
      appToken: null,
      apiUrl: null,
      coordinatorUserIds: [],
      coordinatorUsergroup: null,
    },
    conversation: new FakeConversation(),
    ...slackPorts({} as Store),
    clock: fixedClock(new Date('2026-01-01T00:00:00Z')),
    logger: silentLogger,
    identity: { botId: 'B1', botUserId: 'U1' },
    listings: {
      search: createFakeSearch([]),
      clock: fixedClock(new Date('2026-01-01T00:00:00Z')),
      publicUrl: 'https://signpost.example.org',
    },
  });

  it('lists exactly the slash commands, events and shortcuts the app registers', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...app.registered.commands].sort());
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      app.registered.events.map(toManifestEvent).sort(),
    );
    expect(manifest.features.shortcuts.map((s) => s.callback_id).sort()).toEqual([...app.registered.shortcuts].sort());
  });

  it('sends every request to the one events route, with interactivity and the App Home on', () => {
    expect(app.registered.actions.length + app.registered.views.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const urls = [
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
      ...manifest.features.slash_commands.map((c) => c.url),
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it('asks for exactly the scopes the code needs', () => {
    const source = slackSources().join('\n');
    const methods = new Set(
      [...source.matchAll(/client\.(\w+(?:\s*\.\w+)+)\(/g)].map((m) => m[1]!.replace(/\s+/g, '')),
    );
    for (const method of methods) expect(METHOD_SCOPES, `scope table lacks ${method}`).toHaveProperty([method]);
    const needed = new Set<string>(['commands']);
    for (const method of methods) if (METHOD_SCOPES[method]) needed.add(METHOD_SCOPES[method]!);
    for (const event of manifest.settings.event_subscriptions.bot_events)
      if (EVENT_SCOPES[event]) needed.add(EVENT_SCOPES[event]!);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...needed].sort());
  });

  it('names the OAuth redirect URL the install uses, and allows org-wide Enterprise Grid installs', () => {
    expect(manifest.oauth_config.redirect_urls.map((u) => new URL(u).pathname)).toEqual([SLACK_OAUTH_REDIRECT_PATH]);
    expect(manifest.settings.org_deploy_enabled).toBe(true);
  });

  it("unfurls links to the listing pages, on the domain of PUBLIC_URL in a deployment's manifest", () => {
    const requestHost = new URL(manifest.settings.event_subscriptions.request_url).hostname;
    expect(manifest.features.unfurl_domains).toEqual([requestHost]);
    const built = buildSlackManifest(manifest, 'https://Signpost.Camden.gov.uk/') as unknown as Manifest;
    expect(built.features.unfurl_domains).toEqual(['signpost.camden.gov.uk']);
    const urls = [
      built.settings.interactivity.request_url,
      built.settings.event_subscriptions.request_url,
      ...built.features.slash_commands.map((c) => c.url),
      ...built.oauth_config.redirect_urls,
    ];
    for (const url of urls) expect(new URL(url).origin).toBe('https://signpost.camden.gov.uk');
    expect(Object.keys(built)).toEqual(Object.keys(manifest));
    expect(built.oauth_config.scopes.bot).toEqual(manifest.oauth_config.scopes.bot);
  });
});

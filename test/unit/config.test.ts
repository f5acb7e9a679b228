import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const SIGNING = { SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef' };
const OAUTH = {
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'abcdef0123456789abcdef0123456789',
  SLACK_STATE_SECRET: 'a-long-random-state-secret',
};

describe('Slack settings', () => {
  it('one workspace: SLACK_BOT_TOKEN and the signing secret, no install', () => {
    const slack = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', ...SIGNING }).slack;
    expect(slack?.botToken).toBe('xoxb-1-2-abc');
    expect(slack?.oauth).toBeNull();
  });

  it('any number of workspaces: client id, client secret and state secret, no bot token', () => {
    const slack = loadConfig({ ...OAUTH, ...SIGNING }).slack;
    expect(slack?.botToken).toBeNull();
    expect(slack?.oauth).toEqual({
      clientId: OAUTH.SLACK_CLIENT_ID,
      clientSecret: OAUTH.SLACK_CLIENT_SECRET,
      stateSecret: OAUTH.SLACK_STATE_SECRET,
    });
  });

  it.each([
    [
      { SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: OAUTH.SLACK_CLIENT_SECRET, ...SIGNING },
      /SLACK_STATE_SECRET is missing/,
    ],
    [{ ...OAUTH, SLACK_STATE_SECRET: 'short', ...SIGNING }, /SLACK_STATE_SECRET must be at least 16/],
    [{ ...OAUTH, SLACK_CLIENT_ID: 'abc', ...SIGNING }, /SLACK_CLIENT_ID must be the Client ID/],
    [{ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1-2-abc', ...SIGNING }, /Set either SLACK_BOT_TOKEN .* not both/],
    [{ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1-A1-x' }, /needs HTTP mode/],
    [{ ...OAUTH }, /SLACK_SIGNING_SECRET is missing/],
    [{ ...SIGNING, SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_BOT_TOKEN: '' }, /SLACK_CLIENT_SECRET is missing/],
  ])('refuses an incomplete or mixed setting %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('SLACK_CLIENT_ID alone turns Slack on (and asks for the rest)', () => {
    expect(() => loadConfig({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID })).toThrow(/SLACK_CLIENT_SECRET is missing/);
    expect(loadConfig({}).slack).toBeNull();
  });
});

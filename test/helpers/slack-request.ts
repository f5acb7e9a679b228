import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[^0-9a-f]/g, '0');

/** Slack's v0 signature over `v0:{timestamp}:{body}` (docs.slack.dev "Verifying requests from Slack"). */
export function signSlack(body: string, timestamp: number, secret = TEST_SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type SlackPost = {
  body: string;
  contentType: string;
  timestamp?: number;
  signature?: string;
  headers?: Record<string, string>;
};

/** POSTs a (by default correctly signed, current) request to the Slack endpoint. */
export async function postSlack(url: string, post: SlackPost): Promise<Response> {
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': post.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': post.signature ?? signSlack(post.body, timestamp),
      ...post.headers,
    },
    body: post.body,
  });
}

export const RESPONSE_URL_HOST = 'https://hooks.slack.com';

/** A slash command, form-encoded as Slack sends it (shaped like slack-docs_slash-command_weather). */
export function slashCommand(text: string, overrides: Record<string, string> = {}): SlackPost {
  const fields = {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'camden',
    channel_id: 'C2147483705',
    channel_name: 'social-prescribing',
    user_id: 'U2147483697',
    user_name: 'sam',
    command: '/signpost',
    text,
    api_app_id: 'A123456',
    is_enterprise_install: 'false',
    response_url: `${RESPONSE_URL_HOST}/commands/1234/5678`,
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    ...overrides,
  };
  return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** An interaction payload (block_actions, view_submission, shortcut): form-encoded `payload=<json>`. */
export function interaction(payload: object): SlackPost {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}

export function blockAction(actionId: string, value: string, overrides: Record<string, unknown> = {}): SlackPost {
  return interaction({
    type: 'block_actions',
    team: { id: 'T0001', domain: 'camden' },
    user: { id: 'U2147483697', username: 'sam', name: 'sam', team_id: 'T0001' },
    api_app_id: 'A123456',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C2147483705', is_ephemeral: true },
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    channel: { id: 'C2147483705', name: 'social-prescribing' },
    response_url: `${RESPONSE_URL_HOST}/actions/T0001/1/abc`,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        value,
        action_ts: '1700000001.000200',
        text: { type: 'plain_text', text: 'x' },
      },
    ],
    ...overrides,
  });
}

/** An Events API callback (app_mention, message, app_home_opened). */
export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
): SlackPost {
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: 'T0001',
      api_app_id: 'A123456',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      event: { event_ts: '1700000000.000100', ts: '1700000000.000100', ...event },
    }),
  };
}

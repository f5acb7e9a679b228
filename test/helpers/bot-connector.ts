import http from 'node:http';

export type ConnectorRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown };
export type ScriptedResponse = { status: number; headers?: Record<string, string>; body?: unknown };

/**
 * A local stand-in for the Bot Framework connector at an activity's `serviceUrl`: records every request the bot
 * makes and answers 200 with a new activity id, unless responses were scripted with `respondWith`.
 */
export type BotConnector = {
  serviceUrl: string;
  requests: ConnectorRequest[];
  /** Activities the bot posted (replies and proactive messages), typing indicators left out. */
  messages(): { path: string; activity: Record<string, unknown> }[];
  /** The next requests get these answers, in order; afterwards 200 again. */
  respondWith(...responses: ScriptedResponse[]): void;
  reset(): void;
  close(): Promise<void>;
};

export async function startBotConnector(): Promise<BotConnector> {
  const requests: ConnectorRequest[] = [];
  let scripted: ScriptedResponse[] = [];
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const answer = scripted.shift() ?? { status: 200, body: { id: `activity-${nextId++}` } };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    requests,
    messages: () =>
      requests
        .filter((r) => r.method === 'POST' && r.path.includes('/activities'))
        .map((r) => ({ path: r.path, activity: r.body as Record<string, unknown> }))
        .filter((m) => m.activity.type === 'message'),
    respondWith: (...responses) => {
      scripted.push(...responses);
    },
    reset: () => {
      requests.length = 0;
      scripted = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { Store } from '../db/open-store.ts';
import { folderHolder } from '../db/pglite-lock.ts';
import { closeServer, listen } from '../http-server.ts';
import type { Logger } from '../logger.ts';
import { runCli } from './run-cli.ts';

/**
 * The CLI beside a running server. An embedded folder belongs to one process, so while `npm start` holds it, the
 * server takes CLI commands on a loopback-only port named, with a random key, in this file (readable by its owner only).
 */
export const CLI_ENDPOINT_FILE = 'signpost.cli.json';

const EndpointSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  key: z.string().regex(/^[0-9a-f]{64}$/),
});
const RequestSchema = z.object({ args: z.array(z.string()).max(200), cwd: z.string().min(1).max(4096) });
const FrameSchema = z.union([
  z.object({ out: z.string() }),
  z.object({ err: z.string() }),
  z.object({ code: z.number().int() }),
]);

/** Commands that read standard input: only they get it forwarded. */
const READS_STDIN = new Set(['chat']);

export type CliEndpoint = { port: number; close(): Promise<void> };

/** Server side: opens the endpoint for the folder `dir` the server holds, and names it in the folder. */
export async function openCliEndpoint(deps: { store: Store; dir: string; logger: Logger }): Promise<CliEndpoint> {
  const log = deps.logger.child('cli-endpoint');
  const key = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${key}`);
  const server = http.createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (req.method !== 'POST' || req.url !== '/cli') return void res.writeHead(404).end();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    void serve(req, res).catch((error: unknown) => {
      log.error('command from the CLI failed', { error });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The first line says what to run; whatever follows is the command's standard input.
    const { head, rest } = await firstLine(req);
    const parsed = RequestSchema.safeParse(JSON.parse(head || 'null'));
    if (!parsed.success) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    const stdin = new PassThrough();
    if (rest.length) stdin.write(rest);
    req.pipe(stdin);
    res.once('close', () => stdin.end()); // the CLI went away: a chat waiting for input ends
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const frame = (value: object) => res.write(`${JSON.stringify(value)}\n`);
    log.info('command from the CLI', { command: parsed.data.args[0] ?? '' });
    const code = await runCli(parsed.data.args, {
      stdout: { write: (out) => void frame({ out }) },
      stderr: { write: (err) => void frame({ err }) },
      stdin,
      env: process.env,
      logger: deps.logger.child('cli'),
      store: deps.store,
      cwd: parsed.data.cwd,
    });
    res.end(`${JSON.stringify({ code })}\n`);
  }

  const port = await listen(server, 0, '127.0.0.1');
  const file = path.join(deps.dir, CLI_ENDPOINT_FILE);
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify({ pid: process.pid, port, key }), { mode: 0o600 });
  fs.renameSync(temporary, file);
  return {
    port,
    async close() {
      try {
        const named = EndpointSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
        if (named.success && named.data.pid === process.pid) fs.rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
      await closeServer(server, 2_000);
    },
  };
}

function firstLine(req: http.IncomingMessage): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(10);
      if (end >= 0 || buffered.length > 64 * 1024) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.pause();
        const at = end >= 0 ? end : buffered.length;
        resolve({ head: buffered.subarray(0, at).toString('utf8'), rest: buffered.subarray(at + 1) });
      }
    };
    const onEnd = () => resolve({ head: buffered.toString('utf8'), rest: Buffer.alloc(0) });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

export type ForwardIo = {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream;
  cwd: string;
};

/**
 * CLI side: when a running server holds the embedded folder `dir`, sends it the command and relays what it prints.
 * Returns the exit code, or null when no server holds the folder (the command then runs here as usual).
 */
export async function forwardToServer(dir: string, argv: string[], io: ForwardIo): Promise<number | null> {
  const holder = folderHolder(dir);
  if (!holder) return null;
  let endpoint: z.infer<typeof EndpointSchema>;
  try {
    const named = EndpointSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, CLI_ENDPOINT_FILE), 'utf8')));
    if (!named.success || named.data.pid !== holder.pid) return null;
    endpoint = named.data;
  } catch {
    return null;
  }
  // Files named on the command line are read by the server: give it their full paths.
  const args = argv.map((a) =>
    !a.startsWith('-') && !/^[a-z][a-z0-9+.-]*:/i.test(a) && fs.existsSync(path.resolve(io.cwd, a))
      ? path.resolve(io.cwd, a)
      : a,
  );
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: endpoint.port,
      method: 'POST',
      path: '/cli',
      headers: { authorization: `Bearer ${endpoint.key}`, 'content-type': 'application/x-ndjson' },
    });
    request.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(null) : reject(error),
    );
    request.once('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`the server holding ${dir} answered HTTP ${res.statusCode}`));
        return;
      }
      let pending = '';
      let code: number | undefined;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
          const frame = FrameSchema.safeParse(JSON.parse(pending.slice(0, end)));
          pending = pending.slice(end + 1);
          if (!frame.success) continue;
          if ('out' in frame.data) io.stdout.write(frame.data.out);
          else if ('err' in frame.data) io.stderr.write(frame.data.err);
          else code = frame.data.code;
        }
      });
      res.once('end', () => {
        io.stdin.unpipe(request);
        if (code === undefined) reject(new Error(`the server holding ${dir} stopped before the command finished`));
        else resolve(code);
      });
    });
    request.write(`${JSON.stringify({ args, cwd: io.cwd })}\n`);
    if (READS_STDIN.has(argv[0] ?? '')) io.stdin.pipe(request);
    else request.end();
  });
}

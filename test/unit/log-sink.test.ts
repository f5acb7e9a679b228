import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, createLogSink } from '../../src/logger.ts';

describe('the server log sink', () => {
  it('writes to the terminal, then only warnings, then everything to a file and nothing to the terminal', () => {
    let terminal = '';
    const sink = createLogSink({ write: (text: string) => (terminal += text) });
    const log = createLogger({ level: 'info', destination: sink }).child('test');
    log.info('starting');
    expect(terminal).toMatch(/"msg":"starting"/);

    sink.warningsOnly();
    log.info('an ordinary line');
    log.warn('a warning');
    expect(terminal).not.toMatch(/an ordinary line/);
    expect(terminal).toMatch(/"msg":"a warning"/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-log-'));
    try {
      const file = path.join(dir, 'signpost.log');
      sink.toFile(file);
      const before = terminal;
      log.info('into the file');
      log.error('an error, also in the file');
      expect(terminal).toBe(before);
      const lines = fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; module: string });
      expect(lines.map((l) => [l.module, l.msg])).toEqual([
        ['test', 'into the file'],
        ['test', 'an error, also in the file'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

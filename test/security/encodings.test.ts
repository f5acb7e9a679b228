import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText } from '../../src/catalogue/ingest/fetch-feed.ts';
import { importSource } from '../../src/catalogue/ingest/import-source.ts';
import { FeedRefusedError } from '../../src/catalogue/ingest/parse-ical.ts';
import type { SourceFormat } from '../../src/catalogue/model.ts';
import { silentLogger } from '../../src/logger.ts';
import { cli, heldCliDatabase } from '../helpers/run-cli.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const TITLE = 'St Pancras “Tea & Chat” – Maya’s café';

const INPUTS: Record<Exclude<SourceFormat, 'manual' | 'demo'> | string, { ext: string; text: string }> = {
  ical: {
    ext: 'ics',
    text: [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:tea-1',
      `SUMMARY:${TITLE}`,
      'DTSTART;TZID=Europe/London:20261208T100000',
      'DURATION:PT1H',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  },
  hsds: { ext: 'json', text: JSON.stringify({ id: 'tea-1', name: TITLE, status: 'active', description: 'A cuppa.' }) },
  csv: { ext: 'csv', text: `id,title,kind,description,status\r\ntea-1,${TITLE},activity,A cuppa.,active\r\n` },
};

/** Windows-1252 bytes for the few non-ASCII characters the title uses. */
const CP1252: Record<string, number> = { '“': 0x93, '”': 0x94, '–': 0x96, '’': 0x92, é: 0xe9 };
function encode(text: string, encoding: string): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8 with BOM':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le with BOM':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be with BOM':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'windows-1252':
      return Buffer.from([...text].map((c) => CP1252[c] ?? c.charCodeAt(0)));
  }
  throw new Error(encoding);
}

describe('encodings: every import format reads UTF-8, UTF-16 with a BOM and Windows-1252', () => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-encodings-'));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [format, input] of Object.entries(INPUTS)) {
    for (const encoding of ['utf-8', 'utf-8 with BOM', 'utf-16le with BOM', 'utf-16be with BOM', 'windows-1252']) {
      it(`${format} in ${encoding}: curly quotes and dashes survive`, async () => {
        const file = path.join(dir, `${format}-${encoding.replace(/\W+/g, '-')}.${input.ext}`);
        fs.writeFileSync(file, encode(input.text, encoding));
        const source = `${format}-${encoding.replace(/\W+/g, '-')}`;
        const report = await importSource(
          store,
          { input: file, source, format: format as SourceFormat, now: NOW },
          silentLogger,
        );
        expect(report.rejected).toEqual([]);
        expect(report.created).toBe(1);
        const { rows } = await store.sql.query<{ name: string }>(
          'SELECT s.name FROM service s JOIN source o ON o.id = s.source_id WHERE o.name = $1',
          [source],
        );
        expect(rows.map((r) => r.name)).toEqual([TITLE]);
      });
    }
  }
});

describe('attack: bytes that are no text encoding we read', () => {
  it('UTF-16 without its byte-order mark is refused with a sentence, not read as mojibake', () => {
    expect(() => decodeText(Buffer.from('BEGIN:VCALENDAR\r\n', 'utf16le'))).toThrow(FeedRefusedError);
    expect(() => decodeText(Buffer.from('BEGIN:VCALENDAR\r\n', 'utf16le'))).toThrow(
      /not text in UTF-8, UTF-16 \(with a byte-order mark\) or Windows-1252/,
    );
  });

  it('invalid UTF-8 that Windows-1252 cannot hold either is refused', () => {
    expect(() => decodeText(Buffer.from([0x54, 0x65, 0x61, 0x81, 0x8d, 0x0a]))).toThrow(/byte 4 \(0x81\)/);
  });

  it('a UTF-8 byte-order mark before bytes that are not UTF-8 is refused', () => {
    expect(() => decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x54, 0xe9, 0x61]))).toThrow(/UTF-8 byte-order mark/);
  });

  it('the import command exits 2 with one line saying why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-binary-'));
    try {
      const file = path.join(dir, 'sheet.csv');
      fs.writeFileSync(file, Buffer.concat([Buffer.from('id,title\r\n'), Buffer.from([0x00, 0x81, 0xff, 0x8d])]));
      // A migrated store held open (not a new one migrated for this one command).
      const db = await heldCliDatabase('pglite', 'signpost-binary-db-');
      const result = await cli(db.url, 'import', file, '--format', 'csv').finally(() => db.cleanup());
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^Refused: The input is not text in UTF-8, UTF-16 \(with a byte-order mark\) or Windows-1252: .*Nothing was imported\.$/m,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

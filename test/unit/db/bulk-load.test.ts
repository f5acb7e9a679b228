import { describe, expect, it } from 'vitest';
import { copyField, copyStatement } from '../../../src/db/bulk-load.ts';

describe('COPY text fields', () => {
  it('writes null as \\N and escapes the characters that separate fields and rows', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(12)).toBe('12');
    expect(copyField('plain text, café')).toBe('plain text, café');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // The text "\N" is not null: its backslash is escaped.
    expect(copyField('\\N')).toBe('\\\\N');
  });

  it('names the table and columns quoted', () => {
    expect(copyStatement('occurrence', ['id'], 'binary')).toBe(
      `COPY "occurrence" ("id") FROM '/dev/blob' WITH (FORMAT binary)`,
    );
    expect(copyStatement('occurrence', ['id', 'end'])).toBe(`COPY "occurrence" ("id", "end") FROM '/dev/blob'`);
  });
});

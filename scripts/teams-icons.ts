import fs from 'node:fs';
import { deflateSync } from 'node:zlib';

// Writes the Teams app icons (PNG, drawn in code so the package needs no design tools or downloads):
// color.png 192x192 on the brand colour, outline.png 32x32 white on transparent. Run: npx tsx scripts/teams-icons.ts
const DIR = new URL('../src/bots/teams/appPackage/', import.meta.url);
const ACCENT: [number, number, number] = [0x00, 0x5e, 0xa5];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) row.set(pixel(x, y), 1 + x * 4);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A signpost: a vertical post with two arrow boards, in a unit square. */
function isSignpost(u: number, v: number): boolean {
  const post = u > 0.46 && u < 0.54 && v > 0.15 && v < 0.88;
  const boardRight = v > 0.24 && v < 0.38 && u > 0.3 && u < 0.72 + (0.07 - Math.abs(v - 0.31));
  const boardLeft = v > 0.46 && v < 0.6 && u < 0.7 && u > 0.28 - (0.07 - Math.abs(v - 0.53));
  return post || boardRight || boardLeft;
}

fs.writeFileSync(
  new URL('color.png', DIR),
  png(192, (x, y) => (isSignpost((x + 0.5) / 192, (y + 0.5) / 192) ? [255, 255, 255, 255] : [...ACCENT, 255])),
);
fs.writeFileSync(
  new URL('outline.png', DIR),
  png(32, (x, y) => (isSignpost((x + 0.5) / 32, (y + 0.5) / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0])),
);

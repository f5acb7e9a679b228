import fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const DIR = 'src/bots/teams/appPackage';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The required fields and limits of the Teams app manifest schema (v1.16 and later) that apply to a bot app.
const ManifestSchema = z.object({
  $schema: z.string().regex(/json-schemas\/teams\/v1\.(1[6-9]|2\d)\/MicrosoftTeams\.schema\.json$/),
  manifestVersion: z.string().regex(/^1\.(1[6-9]|2\d)$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: z.string().regex(GUID),
  developer: z.object({
    name: z.string().min(1).max(32),
    websiteUrl: z.string().startsWith('https://'),
    privacyUrl: z.string().startsWith('https://'),
    termsOfUseUrl: z.string().startsWith('https://'),
  }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100).optional() }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/),
  bots: z
    .array(
      z.object({
        botId: z.string().regex(GUID),
        scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
        commandLists: z
          .array(
            z.object({
              scopes: z.array(z.enum(['personal', 'team', 'groupChat'])),
              commands: z.array(z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) })).max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  validDomains: z.array(z.string().regex(/^[^/:\s]+$/)).max(16),
});

/** Width, height and RGBA pixels of an 8-bit RGBA PNG (what the icon script writes). */
function readPng(file: string): { width: number; height: number; pixel(x: number, y: number): number[] } {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  expect(buf[25]).toBe(6);
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, pixel: (x, y) => [...raw.subarray(y * (1 + width * 4) + 1 + x * 4, y * (1 + width * 4) + 5 + x * 4)] };
}

describe('Teams app package', () => {
  const manifest = JSON.parse(fs.readFileSync(`${DIR}/manifest.json`, 'utf8')) as unknown;

  it('has a manifest with the fields and limits of the Teams schema', () => {
    const parsed = ManifestSchema.parse(manifest);
    expect(parsed.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('has a 192x192 colour icon and a 32x32 outline icon that is white on transparent', () => {
    const color = readPng(`${DIR}/color.png`);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(0, 0)[3]).toBe(255);
    const outline = readPng(`${DIR}/outline.png`);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    for (let y = 0; y < 32; y += 1) {
      for (let x = 0; x < 32; x += 1) {
        const [r, g, b, a] = outline.pixel(x, y);
        expect(a === 0 || (r === 255 && g === 255 && b === 255)).toBe(true);
      }
    }
  });
});

import fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTeamsManifest } from '../../../../src/bots/teams/app-manifest.ts';
import { SEARCH_COMMAND_ID, SEARCH_PARAMETER } from '../../../../src/bots/teams/message-extension.ts';

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
              commands: z
                .array(z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) }))
                .max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  composeExtensions: z
    .array(
      z.object({
        botId: z.string().regex(GUID),
        commands: z
          .array(
            z.object({
              id: z.string().min(1).max(64),
              type: z.enum(['query', 'action']),
              title: z.string().min(1).max(32),
              description: z.string().max(128),
              initialRun: z.boolean().optional(),
              context: z.array(z.enum(['compose', 'commandBox', 'message'])).optional(),
              parameters: z
                .array(
                  z.object({
                    name: z.string().min(1).max(64),
                    title: z.string().min(1).max(32),
                    description: z.string().max(128),
                    inputType: z.literal('text'),
                  }),
                )
                .min(1)
                .max(5),
            }),
          )
          .min(1)
          .max(10),
        messageHandlers: z
          .array(
            z.object({
              type: z.literal('link'),
              value: z.object({
                domains: z
                  .array(z.string().regex(/^[^/:\s]+$/))
                  .min(1)
                  .max(10),
              }),
            }),
          )
          .max(5),
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
  return {
    width,
    height,
    pixel: (x, y) => [...raw.subarray(y * (1 + width * 4) + 1 + x * 4, y * (1 + width * 4) + 5 + x * 4)],
  };
}

describe('Teams app package', () => {
  const manifest = JSON.parse(fs.readFileSync(`${DIR}/manifest.json`, 'utf8')) as unknown;

  it('has a manifest with the fields and limits of the Teams schema', () => {
    const parsed = ManifestSchema.parse(manifest);
    expect(parsed.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('declares the search command the bot answers, with link previews for the listing pages', () => {
    const parsed = ManifestSchema.parse(manifest);
    const [extension] = parsed.composeExtensions;
    expect(extension!.commands.map((c) => [c.id, c.type, c.parameters.map((p) => p.name)])).toEqual([
      [SEARCH_COMMAND_ID, 'query', [SEARCH_PARAMETER]],
    ]);
    expect(extension!.commands[0]!.context).toEqual(['compose', 'commandBox']);
    expect(extension!.messageHandlers).toHaveLength(1);
  });

  it("fills in the bot id, and PUBLIC_URL's host for link previews, when the package is built", () => {
    const botId = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
    const built = ManifestSchema.parse(
      buildTeamsManifest(manifest, { botId, publicUrl: 'https://Signpost.Camden.gov.uk/', version: '1.2.3' }),
    );
    expect(built.version).toBe('1.2.3');
    expect(built.bots[0]!.botId).toBe(botId);
    expect(built.composeExtensions[0]!.botId).toBe(botId);
    expect(built.composeExtensions[0]!.messageHandlers[0]!.value.domains).toEqual(['signpost.camden.gov.uk']);
    expect(built.validDomains).toEqual(['token.botframework.com', 'signpost.camden.gov.uk']);
    // The template itself is left as it was.
    expect(ManifestSchema.parse(manifest).composeExtensions[0]!.botId).toBe('00000000-0000-0000-0000-000000000000');
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

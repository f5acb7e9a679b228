import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { buildTeamsManifest } from '../src/bots/teams/app-manifest.ts';
import { loadConfig } from '../src/config.ts';

// Zips src/bots/teams/appPackage (manifest.json, color.png, outline.png) into dist/signpost-teams.zip for upload to
// Teams ("Upload a custom app") or the Teams admin centre. The bot id comes from MicrosoftAppId, or --bot-id <guid>;
// --version <x.y.z> sets the app version (bump it for every re-upload). Links to listing pages are previewed for
// PUBLIC_URL's host (or --public-url <https://…>).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'src/bots/teams/appPackage');
const out = path.join(root, 'dist/signpost-teams.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const config = loadConfig();
const botId = flag('bot-id') ?? config.teams?.appId;
if (!botId || !GUID.test(botId)) {
  process.stderr.write("Give the bot's Microsoft app id: set MicrosoftAppId or pass --bot-id <guid>.\n");
  process.exit(1);
}
const publicUrl = flag('public-url') ?? config.publicUrl;
if (!/^https:\/\//.test(publicUrl)) {
  process.stderr.write(
    `Link previews need the server's public https address: set PUBLIC_URL or pass --public-url (now ${publicUrl}).\n`,
  );
}
const version = flag('version');
const manifest = buildTeamsManifest(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')), {
  botId,
  publicUrl,
  ...(version ? { version } : {}),
});

const zip = new JSZip();
zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
for (const icon of ['color.png', 'outline.png']) zip.file(icon, fs.readFileSync(path.join(dir, icon)));
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
process.stdout.write(`${path.relative(process.cwd(), out)} (bot ${botId}, version ${manifest.version})\n`);

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSlackManifest } from '../src/bots/slack/app-manifest.ts';
import { loadConfig } from '../src/config.ts';

// Prints manifest.json for this deployment, to paste at api.slack.com/apps ("From an app manifest"): the request URLs
// on PUBLIC_URL (or --public-url <https://…>) and its host as the domain whose listing-page links unfurl.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--public-url');
const publicUrl = i >= 0 ? (process.argv[i + 1] ?? '') : loadConfig().publicUrl;
if (!/^https:\/\/[^/]+/.test(publicUrl)) {
  process.stderr.write(
    `Slack needs the server's public https address: set PUBLIC_URL or pass --public-url (now "${publicUrl}").\n`,
  );
  process.exit(1);
}
const template = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8')) as unknown;
process.stdout.write(`${JSON.stringify(buildSlackManifest(template, publicUrl), null, 2)}\n`);

import { z } from 'zod';
import { listingDomain } from '../../catalogue/pages/listing-link.ts';

/** The part of the Teams app manifest template (appPackage/manifest.json) that a deployment fills in. */
const TemplateSchema = z
  .object({
    version: z.string(),
    bots: z.array(z.object({ botId: z.string() }).loose()).min(1),
    composeExtensions: z
      .array(
        z
          .object({
            botId: z.string(),
            messageHandlers: z
              .array(
                z
                  .object({ type: z.literal('link'), value: z.object({ domains: z.array(z.string()) }).loose() })
                  .loose(),
              )
              .optional(),
          })
          .loose(),
      )
      .optional(),
    validDomains: z.array(z.string()),
  })
  .loose();

/** The template's stand-in for this server's address, replaced by PUBLIC_URL's host. */
const PLACEHOLDER_DOMAIN = 'signpost.example.org';

/**
 * The app manifest for one deployment: the bot's app id for the bot and the message extension, listing-page links
 * previewed for PUBLIC_URL's host (`composeExtensions[].messageHandlers`, also a valid domain), and the version.
 */
export function buildTeamsManifest(
  template: unknown,
  options: { botId: string; publicUrl: string; version?: string },
): Record<string, unknown> {
  // Checked, then filled in on a copy of the template itself: zod's parsed copy would put the known keys first.
  TemplateSchema.parse(template);
  const manifest = structuredClone(template) as z.infer<typeof TemplateSchema>;
  const domain = listingDomain(options.publicUrl);
  for (const bot of manifest.bots) bot.botId = options.botId;
  for (const extension of manifest.composeExtensions ?? []) {
    extension.botId = options.botId;
    for (const handler of extension.messageHandlers ?? []) handler.value.domains = [domain];
  }
  manifest.validDomains = [...new Set([...manifest.validDomains.filter((d) => d !== PLACEHOLDER_DOMAIN), domain])];
  if (options.version) manifest.version = options.version;
  return manifest;
}

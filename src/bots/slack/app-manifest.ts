import { z } from 'zod';
import { listingDomain } from '../../catalogue/pages/listing-link.ts';

/** The address manifest.json is written with; a deployment's manifest has PUBLIC_URL in its place. */
export const MANIFEST_PLACEHOLDER_URL = 'https://signpost.example.org';

const TemplateSchema = z
  .object({
    features: z.object({ unfurl_domains: z.array(z.string()).optional() }).loose(),
  })
  .loose();

/**
 * manifest.json for one deployment: every request and redirect URL on PUBLIC_URL instead of the placeholder, and
 * links to the listing pages unfurled for PUBLIC_URL's host (`unfurl_domains`).
 */
export function buildSlackManifest(template: unknown, publicUrl: string): Record<string, unknown> {
  const base = publicUrl.replace(/\/+$/, '');
  const replaced = JSON.parse(JSON.stringify(template), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MANIFEST_PLACEHOLDER_URL)
      ? `${base}${value.slice(MANIFEST_PLACEHOLDER_URL.length)}`
      : value,
  ) as Record<string, unknown>;
  // Checked, but the parsed copy is not returned: it would put the known keys first and reorder the manifest.
  TemplateSchema.parse(replaced);
  (replaced.features as { unfurl_domains?: string[] }).unfurl_domains = [listingDomain(base)];
  return replaced;
}

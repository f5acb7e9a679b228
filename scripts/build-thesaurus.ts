/**
 * Writes src/catalogue/search/thesaurus/openactive.json from the OpenActive Activity List (CC-BY-4.0, a SKOS
 * vocabulary of UK physical activities): each concept's preferred and alternative labels and its broader concepts.
 *
 *   npm run -s thesaurus:openactive -- <path to activity-list.jsonld>
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const Concept = z.object({
  id: z.string(),
  prefLabel: z.string(),
  notation: z.string().optional(),
  altLabel: z.array(z.string()).optional(),
  broader: z.array(z.string()).optional(),
});
const List = z.object({ license: z.string().optional(), concept: z.array(Concept) });

const from = process.argv[2];
if (!from) {
  console.error('usage: build-thesaurus <activity-list.jsonld>');
  process.exit(1);
}
const list = List.parse(JSON.parse(fs.readFileSync(from, 'utf8')));
const keyOf = new Map(list.concept.map((c) => [c.id, `oa:${c.notation ?? c.id.split('#')[1]}`]));
const concepts = list.concept
  .map((c) => ({
    key: keyOf.get(c.id)!,
    label: c.prefLabel,
    terms: [...new Set([c.prefLabel, ...(c.altLabel ?? [])])],
    broader: (c.broader ?? []).map((b) => keyOf.get(b)).filter((b): b is string => b !== undefined),
  }))
  .sort((a, b) => a.key.localeCompare(b.key));
const out = {
  about:
    'Derived from the OpenActive Activity List (https://openactive.io/activity-list), © OpenActive, licensed under ' +
    'CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/): preferred and alternative labels and broader concepts only.',
  license: 'CC-BY-4.0',
  concepts,
};
const target = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../src/catalogue/search/thesaurus/openactive.json',
);
fs.writeFileSync(target, `${JSON.stringify(out, null, 0).replace(/\},\{/g, '},\n{')}\n`);
console.log(`${concepts.length} concepts written to ${path.relative(process.cwd(), target)}`);

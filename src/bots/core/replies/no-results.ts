import type { SearchResponse } from '../../../catalogue/search/types.ts';
import { actions, heading, literal, type Reply, text, toPlainText } from '../reply.ts';
import { helpButton } from './action-values.ts';
import { describeUnderstood } from './format.ts';

/** Nothing found even after relaxing: never an empty answer. Says what was understood and what was already tried. */
export function buildNoResultsReply(response: SearchResponse): Reply {
  const understood = describeUnderstood(response.understood);
  const lines = [
    understood ? `I looked for: **${literal(understood)}**.` : 'I could not pick out a topic, place or day from that.',
    response.relaxed.length
      ? `I widened the search (${literal(response.relaxed.join('; '))}) and still found nothing.`
      : 'Nothing in the catalogue matches it yet.',
    'Try fewer words, a nearby area or another day, e.g. "lunch club in Kentish Town" or "coffee morning this week". Type **help** for more examples.',
  ];
  return {
    fallbackText: toPlainText(['No results.', ...lines].join(' ')),
    blocks: [heading('No results'), text(lines.join('\n')), actions([helpButton()])],
  };
}

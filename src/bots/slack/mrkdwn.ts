import { parseMarkup } from '../core/reply.ts';
import { truncate as truncateText } from '../../truncate.ts';

/**
 * The neutral reply markup (`**bold**`, `_italic_`, `` `code` ``) as Slack mrkdwn (`*bold*`, `_italic_`, `` `code` ``).
 * Every run of text goes through `escapeMrkdwn`, so nothing from a partner's feed becomes formatting, a mention
 * (`<!channel>`, `<@U…>`) or a link: Slack links are built only from URL fields (buttons).
 * See docs.slack.dev "Formatting text for app surfaces" (escaping).
 */
export function toMrkdwn(markup: string): string {
  return parseMarkup(markup)
    .map((span) => {
      if (span.code)
        return `\`${span.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, "'")}\``;
      const text = escapeMrkdwn(span.text);
      if (!text.trim()) return text;
      let out = text;
      if (span.italic) out = `_${out}_`;
      if (span.bold) out = `*${out}*`;
      return out;
    })
    .join('');
}

/** Slack's formatting characters and the look-alikes shown in their place when they could format text. */
const LOOKALIKE: Readonly<Record<string, string>> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/**
 * The one escaping function for Slack text (mrkdwn and the fallback `text`): `&`, `<` and `>` become entities, so
 * `<!channel>`, `<@U…>` and `<url|label>` are shown as typed, and `*`, `_`, `~` and backticks that could start or
 * end formatting are shown as look-alike characters (mrkdwn has no escape for them). One inside a word, as in
 * `first_last@camden.gov.uk`, formats nothing in Slack and is kept, so addresses still work when copied.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (c, at: number, whole: string) =>
      c !== '`' && /[\p{L}\p{N}]/u.test(whole[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(whole[at + 1] ?? '')
        ? c
        : (LOOKALIKE[c] ?? c),
    );
}

/** Cuts text to `max` characters on a word boundary where one is near, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return truncateText(text, max, { wordBoundaryAfter: 0.8, trailing: null });
}

/**
 * Splits long mrkdwn into pieces of at most `max` characters, at line breaks where possible, never inside a
 * `<…>` link or an `&…;` entity.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf('\n', max);
    if (at < max / 2) at = rest.lastIndexOf(' ', max);
    if (at < max / 2) at = max;
    const open = rest.lastIndexOf('<', at);
    if (open > rest.lastIndexOf('>', at) && open > 0) at = open;
    const amp = rest.lastIndexOf('&', at);
    if (amp > rest.lastIndexOf(';', at) && amp > 0 && at - amp < 6) at = amp;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).replace(/^[ \n]+/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

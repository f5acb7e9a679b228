/**
 * The neutral reply markup (`**bold**`, `_italic_`, `[label](https://…)`) as Slack mrkdwn (`*bold*`, `_italic_`,
 * `<https://…|label>`). `&`, `<` and `>` are escaped everywhere else, so text from partner feeds can never become a
 * mention (`<!channel>`) or a link Slack did not get from us.
 * See docs.slack.dev "Formatting text for app surfaces" (escaping).
 */
export function toMrkdwn(markup: string): string {
  const parts: string[] = [];
  const link = /\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;
  let last = 0;
  for (const match of markup.matchAll(link)) {
    parts.push(inline(markup.slice(last, match.index)));
    const label = match[1] ?? '';
    const url = match[2] ?? '';
    // `|` and `>` would end the label or link early; Slack has no escape for them inside a link.
    parts.push(`<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${inline(label).replace(/\|/g, '¦')}>`);
    last = match.index + match[0].length;
  }
  parts.push(inline(markup.slice(last)));
  return parts.join('');
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function inline(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*([^*\n]+)\*\*/g, '*$1*');
}

/** Cuts text to `max` characters on a word boundary where one is near, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
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

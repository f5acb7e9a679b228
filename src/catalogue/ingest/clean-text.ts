import { decodeHTMLStrict } from 'entities';
/**
 * Turns the HTML-ish text that calendar feeds and directories put in descriptions into clean plain text:
 * tags stripped, line breaks and paragraphs kept as newlines, entities decoded, whitespace collapsed.
 * Plain text passes through with only its whitespace tidied.
 */

/** Block-level elements whose start or end begins a new line. */
const BLOCK_TAGS =
  'p|div|section|article|header|footer|aside|blockquote|h[1-6]|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|pre|address|figure|figcaption|hr';

const BLOCK_BREAK = new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^>]*>`, 'gi');
const PARAGRAPH_END = /<\/(?:p|h[1-6]|blockquote|ul|ol|table|pre)\s*>/gi;

/**
 * Decodes HTML character references: every named one HTML knows (the `entities` package's table, with a lower-case
 * retry for shouted names such as `&NBSP;`), and numeric ones (`&#39;`, `&#x2019;`), dropping those that name no
 * character. Non-breaking, en, em and thin spaces become plain ones; soft hyphens and zero-width joiners go.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '';
      if (code === 0xa0) return ' ';
      return String.fromCodePoint(code);
    }
    const named = namedEntity(body) ?? namedEntity(body.toLowerCase());
    return named === undefined
      ? whole
      : named.replace(/[\u00a0\u2002\u2003\u2009]/g, ' ').replace(/[\u00ad\u200c\u200d]/g, '');
  });
}

/** One named reference through the `entities` table, or undefined when HTML has no such name. */
function namedEntity(name: string): string | undefined {
  const reference = `&${name};`;
  const decoded = decodeHTMLStrict(reference);
  return decoded === reference ? undefined : decoded;
}

/** Collapses runs of spaces, trims each line, and keeps at most one blank line between paragraphs. */
export function collapseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const looksLikeHtml = (text: string): boolean => /<\/?[a-zA-Z][^>]*>|<!--/.test(text);

/** HTML (or plain text) → clean plain text. `undefined`/`null` give an empty string. */
export function cleanText(input: string | null | undefined): string {
  if (input == null) return '';
  let text = String(input);
  if (looksLikeHtml(text)) {
    text = text
      .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
      .replace(/<(script|style|head|template|noscript)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      // Adjacent block boundaries ("</div><div>") make one line break; a paragraph's end makes a blank line.
      .replace(PARAGRAPH_END, '\u0002')
      .replace(/<li\b[^>]*>/gi, '\u0001• ')
      .replace(BLOCK_BREAK, '\u0001')
      .replace(/<\/(?:td|th)\s*>/gi, ' ')
      .replace(/<\/?[a-zA-Z][^>]*>/g, '')
      .replace(/[ \t]*[\u0001\u0002][\s\u0001\u0002]*/g, (run) => (run.includes('\u0002') ? '\n\n' : '\n'));
  }
  return collapseWhitespace(decodeEntities(text).replace(/\u00a0/g, ' '));
}

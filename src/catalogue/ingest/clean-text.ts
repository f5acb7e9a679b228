/**
 * Turns the HTML-ish text that calendar feeds and directories put in descriptions into clean plain text:
 * tags stripped, line breaks and paragraphs kept as newlines, entities decoded, whitespace collapsed.
 * Plain text passes through with only its whitespace tidied.
 */

const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
  ['ensp', ' '],
  ['emsp', ' '],
  ['thinsp', ' '],
  ['shy', ''],
  ['zwj', ''],
  ['zwnj', ''],
  ['ndash', '–'],
  ['mdash', '—'],
  ['hellip', '…'],
  ['lsquo', '‘'],
  ['rsquo', '’'],
  ['sbquo', '‚'],
  ['ldquo', '“'],
  ['rdquo', '”'],
  ['bdquo', '„'],
  ['laquo', '«'],
  ['raquo', '»'],
  ['bull', '•'],
  ['middot', '·'],
  ['pound', '£'],
  ['euro', '€'],
  ['cent', '¢'],
  ['yen', '¥'],
  ['copy', '©'],
  ['reg', '®'],
  ['trade', '™'],
  ['deg', '°'],
  ['times', '×'],
  ['divide', '÷'],
  ['frac12', '½'],
  ['frac14', '¼'],
  ['frac34', '¾'],
  ['sect', '§'],
  ['para', '¶'],
  ['iexcl', '¡'],
  ['iquest', '¿'],
  ['aacute', 'á'],
  ['agrave', 'à'],
  ['acirc', 'â'],
  ['auml', 'ä'],
  ['atilde', 'ã'],
  ['aring', 'å'],
  ['aelig', 'æ'],
  ['ccedil', 'ç'],
  ['eacute', 'é'],
  ['egrave', 'è'],
  ['ecirc', 'ê'],
  ['euml', 'ë'],
  ['iacute', 'í'],
  ['igrave', 'ì'],
  ['icirc', 'î'],
  ['iuml', 'ï'],
  ['ntilde', 'ñ'],
  ['oacute', 'ó'],
  ['ograve', 'ò'],
  ['ocirc', 'ô'],
  ['ouml', 'ö'],
  ['otilde', 'õ'],
  ['oslash', 'ø'],
  ['uacute', 'ú'],
  ['ugrave', 'ù'],
  ['ucirc', 'û'],
  ['uuml', 'ü'],
  ['szlig', 'ß'],
  ['Aacute', 'Á'],
  ['Eacute', 'É'],
  ['Ouml', 'Ö'],
  ['Uuml', 'Ü'],
  ['Auml', 'Ä'],
]);

/** Block-level elements whose start or end begins a new line. */
const BLOCK_TAGS =
  'p|div|section|article|header|footer|aside|blockquote|h[1-6]|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|pre|address|figure|figcaption|hr';

const BLOCK_BREAK = new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^>]*>`, 'gi');
const PARAGRAPH_END = /<\/(?:p|h[1-6]|blockquote|ul|ol|table|pre)\s*>/gi;

/** Decodes HTML character references: named ones we know, and all numeric ones (`&#39;`, `&#x2019;`). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '';
      if (code === 0xa0) return ' ';
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES.get(body) ?? NAMED_ENTITIES.get(body.toLowerCase()) ?? whole;
  });
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

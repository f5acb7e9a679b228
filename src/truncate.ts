/**
 * The one way text is shortened to a limit: cut to `max` characters in all, the last being an ellipsis. Each caller
 * says how the cut may move back to a word boundary and what it drops from the end of the kept text.
 */
export type TruncateOptions = {
  /** Cut at the last space when it lies beyond this share of `max` (0.8: within the last fifth); else mid-word. */
  wordBoundaryAfter?: number;
  /** Dropped from the end of the kept text before the ellipsis. Default: white space. */
  trailing?: RegExp | null;
};

const WHITE_SPACE_AT_END = /\s+$/;

export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  if (options.wordBoundaryAfter !== undefined) {
    const space = kept.lastIndexOf(' ');
    if (space > max * options.wordBoundaryAfter) kept = kept.slice(0, space);
  }
  const trailing = options.trailing === undefined ? WHITE_SPACE_AT_END : options.trailing;
  return `${trailing ? kept.replace(trailing, '') : kept}…`;
}

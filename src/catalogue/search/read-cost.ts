/** Cost words in a question: free, cheap, a most it may cost. */
import { cut } from './query-text.ts';
import type { Understood } from './types.ts';

/** Free, cheap and "under £5": `free` and `maxCost`; returns the text without them. */
export function takeCost(s: string, u: Understood): string {
  let out = s;
  const max =
    /\b(?:under|less than|below|up to|no more than|max(?:imum)?|cheaper than|not more than)\s*£\s*(\d+(?:\.\d{1,2})?)/.exec(
      out,
    ) ??
    /\b(?:under|less than|below|up to|no more than|max(?:imum)?)\s*(\d+(?:\.\d{1,2})?)\s*(?:pounds|quid)\b/.exec(out) ??
    /£\s*(\d+(?:\.\d{1,2})?)\s*(?:or less|or under|max(?:imum)?|tops)\b/.exec(out);
  if (max) {
    u.maxCost = Number(max[1]);
    out = cut(out, max.index, max[0].length);
  }
  const cheap = /\b(cheap|low cost|inexpensive|affordable|not expensive)\b/.exec(out);
  if (cheap) {
    u.maxCost ??= 5;
    out = cut(out, cheap.index, cheap[0].length);
  }
  const free =
    /(?<!\b(?:step|stair|carer|hands|sugar|gluten|dairy|smoke|alcohol) )\b(free of charge|free|no cost|costs nothing|nothing to pay|no charge|without charge)\b/.exec(
      out,
    );
  if (free) {
    u.free = true;
    out = cut(out, free.index, free[0].length);
  }
  return out;
}

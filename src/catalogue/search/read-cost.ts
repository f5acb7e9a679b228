/** Cost words in a question: free, cheap, a most it may cost. */
import { cut } from './query-text.ts';
import type { Understood } from './types.ts';

/** Free, cheap, "under £5" and "£4 a session": `free` and `maxCost`; returns the text without them. */
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
  // A price as staff quote it ("£4 a session", "£2.50", "50p a week", "3 pounds"): what the resident can pay, so at
  // most that. Never a search word or a time ("£4 a" is not 4 am).
  const price = /£\s*(\d+(?:\.\d{1,2})?)|\b(\d{1,3})p\b|\b(\d+(?:\.\d{1,2})?)\s*(?:pounds|quid)\b/.exec(out);
  if (price) {
    const after = out.slice(price.index + price[0].length);
    const per =
      /^\s*(?:(?:a|an|per|each)\s+(?:session|class|lesson|week|time|visit|hour|month|year|day|term|person|child|go)\b|each\b)?/.exec(
        after,
      )!;
    // "from £15", "£17 upwards": the least it costs, so no limit; the price is still not a search word.
    const least =
      /\b(?:from|starting at|starts at|at least|over|more than)\s*$/.test(out.slice(0, price.index)) ||
      /^\s*(?:upwards|and up|or more|plus)\b/.test(after.slice(per[0].length));
    if (!least) u.maxCost ??= price[2] !== undefined ? Number(price[2]) / 100 : Number(price[1] ?? price[3]);
    out = cut(out, price.index, price[0].length + per[0].length);
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

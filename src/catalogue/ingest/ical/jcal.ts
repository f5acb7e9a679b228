/** jCal access: the arrays ical.js parses iCalendar text into, read property by property. */

export type JProp = [name: string, params: Record<string, unknown>, type: string, ...values: unknown[]];
export type JComp = [name: string, props: JProp[], comps: JComp[]];

export const firstProp = (comp: JComp, name: string): JProp | undefined => {
  for (const p of comp[1]) if (p[0] === name) return p;
  return undefined;
};
export const allProps = (comp: JComp, name: string): JProp[] => comp[1].filter((p) => p[0] === name);
export const propValues = (p: JProp): unknown[] => p.slice(3);

/** The text of a property's values joined with ", " (CATEGORIES-style lists), or undefined. */
export const propText = (comp: JComp, name: string): string | undefined => {
  const p = firstProp(comp, name);
  if (!p) return undefined;
  const values = propValues(p).filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return undefined;
  return values.map((v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(';') : String(v))).join(', ');
};

export const paramText = (p: JProp, name: string): string | undefined => {
  const v = p[1][name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
};

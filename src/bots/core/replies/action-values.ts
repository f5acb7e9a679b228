import { z } from 'zod';
import { ACTION } from '../action-ids.ts';
import type { ReplyButton } from '../reply.ts';

/** The largest button value any platform accepts (Slack: 2,000 characters). */
export const MAX_BUTTON_VALUE = 2000;

/** details / share / post to channel: one catalogue entry. */
export const EntryValueSchema = z.object({ id: z.string().min(1).max(200) });
export type EntryValue = z.infer<typeof EntryValueSchema>;

/** book: an entry and, when known, the start of the session offered (ISO 8601). */
export const BookValueSchema = z.object({ id: z.string().min(1).max(200), s: z.string().max(40).optional() });
export type BookValue = z.infer<typeof BookValueSchema>;

/** more: an opaque key into session memory (never the question) and the offset of the next page. */
export const MoreValueSchema = z.object({ k: z.string().min(1).max(40), o: z.number().int().min(0).max(10_000) });
export type MoreValue = z.infer<typeof MoreValueSchema>;

/** Parses a button value sent back by a platform; undefined when it is not one of ours. */
export function parseActionValue<T>(schema: z.ZodType<T>, raw: string): T | undefined {
  if (raw.length > MAX_BUTTON_VALUE) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function detailsButton(id: string): ReplyButton {
  return { label: 'Details', action: ACTION.details, value: JSON.stringify({ id } satisfies EntryValue) };
}

export function shareButton(id: string): ReplyButton {
  return { label: 'Share with resident', action: ACTION.share, value: JSON.stringify({ id } satisfies EntryValue) };
}

/** *Add to list*: puts the entry on the list for a resident (see shortlist-hooks.ts). */
export function addToListButton(id: string): ReplyButton {
  return { label: 'Add to list', action: ACTION.shortlistAdd, value: JSON.stringify({ id } satisfies EntryValue) };
}

export function bookButton(id: string, start?: string): ReplyButton {
  const value: BookValue = start ? { id, s: start } : { id };
  return { label: 'Book', action: ACTION.book, value: JSON.stringify(value), style: 'primary' };
}

export function moreButton(key: string, offset: number): ReplyButton {
  return { label: 'Show more', action: ACTION.more, value: JSON.stringify({ k: key, o: offset } satisfies MoreValue) };
}

export function helpButton(): ReplyButton {
  return { label: 'Help', action: ACTION.help, value: '{}' };
}

export function linkButton(label: string, url: string): ReplyButton {
  return { label, action: ACTION.details, value: '{}', url };
}

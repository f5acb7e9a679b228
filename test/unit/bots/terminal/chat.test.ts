import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../src/bots/core/action-ids.ts';
import type { InboundAction, InboundMessage } from '../../../../src/bots/core/inbound.ts';
import type { Conversation } from '../../../../src/bots/core/ports.ts';
import { EXAMPLE_QUESTIONS } from '../../../../src/bots/core/replies/help.ts';
import { runTerminalChat } from '../../../../src/bots/terminal/chat.ts';

function scripted(lines: string[]) {
  const input = new PassThrough();
  input.end(lines.map((l) => `${l}\n`).join(''));
  let out = '';
  return { input, output: { write: (t: string) => void (out += t) }, text: () => out };
}

describe('terminal chat', () => {
  it('greets with example questions, answers each line, and stops at "quit"', async () => {
    const seen: InboundMessage[] = [];
    const conversation: Conversation = {
      async handleMessage(m) {
        seen.push(m);
        return { fallbackText: 'ok', blocks: [{ type: 'text', text: `You said ${m.text.length} characters` }] };
      },
      handleAction: () => Promise.reject(new Error('unused')),
    };
    const io = scripted(['lunch club', '', 'more', 'quit', 'never read']);
    const answered = await runTerminalChat({ conversation, ...io, user: { userId: 'sam' } });
    expect(answered).toBe(2);
    const out = io.text();
    expect(out.startsWith('Welcome to Signpost')).toBe(true);
    for (const q of EXAMPLE_QUESTIONS) expect(out).toContain(q);
    expect(out).toContain('\n> lunch club\n\nYou said 10 characters\n');
    expect(out.trimEnd().endsWith('Goodbye.')).toBe(true);
    expect(seen.map((m) => [m.platform, m.userId, m.channelRef, m.text, m.isDirect])).toEqual([
      ['terminal', 'sam', 'terminal', 'lunch club', true],
      ['terminal', 'sam', 'terminal', 'more', true],
    ]);
  });

  it('turns a button token back into its action and saves attachments', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-chat-'));
    const actions: InboundAction[] = [];
    const conversation: Conversation = {
      async handleMessage() {
        return {
          fallbackText: 'booked',
          blocks: [
            {
              type: 'actions',
              buttons: [{ label: 'Cancel booking', action: ACTION.cancelBooking, value: '{"b":"7"}' }],
            },
          ],
        };
      },
      async handleAction(a) {
        actions.push(a);
        return {
          fallbackText: 'cancelled',
          blocks: [
            { type: 'text', text: 'Cancelled' },
            { type: 'attachment', filename: '../cancel.ics', mimeType: 'text/calendar', content: 'BEGIN:VCALENDAR' },
          ],
        };
      },
    };
    const io = scripted(['book 1', 'B1']);
    await runTerminalChat({ conversation, ...io, user: { userId: 'sam' }, attachmentDir: dir });
    expect(io.text()).toContain('[b1: Cancel booking]');
    expect(actions).toEqual([
      {
        platform: 'terminal',
        userId: 'sam',
        isCoordinator: false,
        channelRef: 'terminal',
        action: ACTION.cancelBooking,
        value: '{"b":"7"}',
      },
    ]);
    expect(fs.readFileSync(path.join(dir, 'cancel.ics'), 'utf8')).toBe('BEGIN:VCALENDAR');
    expect(io.text()).toContain(`Saved ../cancel.ics to ${path.join(dir, 'cancel.ics')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Actor } from '../core/inbound.ts';
import type { Conversation } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import { buildHelpReply } from '../core/replies/help.ts';
import { GuidedForm } from './guided-form.ts';
import { type PressableButton, renderText } from './render-text.ts';
import { terminalText } from './terminal-text.ts';

export type TerminalChatOptions = {
  conversation: Conversation;
  input: NodeJS.ReadableStream;
  /** A stream (process.stdout) when interactive, so readline can draw its prompt; anything with write() otherwise. */
  output: { write(text: string): void };
  /** The person at the keyboard; platform "terminal". */
  user: { userId: string; displayName?: string; isCoordinator?: boolean };
  /** Show a prompt (an interactive terminal); otherwise each line read is echoed after "> " so a transcript reads well. */
  interactive?: boolean;
  /** Where attachments (calendar invites) are written; nothing is written without it. */
  attachmentDir?: string;
  /** Ctrl-C: by default the chat ends as on "quit". */
  onInterrupt?: () => void;
};

const QUIT = new Set(['quit', 'exit', 'bye', 'q', ':q', '/quit', '/exit']);
const CHANNEL = 'terminal';

/** The greeting a newcomer sees first: what Signpost does, three example questions, how to leave. */
export function greeting(): string {
  const help = renderText(buildHelpReply({ greeting: true })).text;
  return `${help}\n\nType a question and press Enter. Type "help" for examples, "quit" (or Ctrl-D) to leave.\n`;
}

/**
 * The terminal chat: reads lines until end of input or "quit", sends each to the conversation core and writes the
 * reply as plain text. Works interactively and with piped input (`printf 'lunch club\nmore\n' | signpost chat`).
 * Returns how many messages were answered.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<number> {
  const { conversation, output } = options;
  const interactive = options.interactive ?? false;
  const actor: Actor = {
    platform: 'terminal',
    userId: options.user.userId,
    isCoordinator: options.user.isCoordinator ?? false,
    ...(options.user.displayName ? { displayName: options.user.displayName } : {}),
  };
  const rl = readline.createInterface({
    input: options.input,
    ...(interactive && isStream(output) ? { output, prompt: '> ' } : {}),
    terminal: interactive,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  rl.on('SIGINT', () => {
    rl.close();
    options.onInterrupt?.();
  });

  let pressable: PressableButton[] = [];
  // A form in a reply (the coordinators' entry form) is asked field by field; lines answer it until it is sent.
  let form: GuidedForm | undefined;
  const show = (reply: Reply) => {
    const rendered = renderText(reply);
    pressable = rendered.pressable.length ? rendered.pressable : pressable;
    output.write(`\n${rendered.text}\n\n`);
    saveAttachments(reply, options.attachmentDir, output);
    const block = reply.blocks.find((b) => b.type === 'form');
    form = block?.type === 'form' ? new GuidedForm(block.form) : undefined;
    if (form) output.write(`${form.question()}\n`);
  };
  const answerForm = async (current: GuidedForm, line: string) => {
    if (line.toLowerCase() === 'cancel') {
      form = undefined;
      output.write('\nNothing saved.\n\n');
      return;
    }
    const problem = current.answer(line);
    if (problem) output.write(`  ${problem}\n`);
    if (!current.done) {
      output.write(`${current.question()}\n`);
      return;
    }
    form = undefined;
    show(
      await conversation.handleAction({
        ...actor,
        channelRef: CHANNEL,
        action: current.form.submit.action,
        value: current.submission(),
      }),
    );
  };

  output.write(greeting());
  if (interactive) rl.prompt();
  let answered = 0;
  for await (const raw of rl) {
    const line = raw.trim();
    if (!interactive && (line || form)) output.write(`\n> ${terminalText(line)}\n`);
    if (form) {
      await answerForm(form, line);
      if (interactive) rl.prompt();
      continue;
    }
    if (QUIT.has(line.toLowerCase())) break;
    if (line) {
      const pressed = pressable.find((p) => p.token === line.toLowerCase());
      const reply = pressed
        ? await conversation.handleAction({
            ...actor,
            channelRef: CHANNEL,
            action: pressed.button.action,
            value: pressed.button.value,
          })
        : await conversation.handleMessage({ ...actor, channelRef: CHANNEL, text: line, isDirect: true });
      show(reply);
      answered++;
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  output.write('Goodbye.\n');
  return answered;
}

function isStream(output: { write(text: string): void }): output is NodeJS.WritableStream {
  return typeof (output as Partial<NodeJS.WritableStream>).on === 'function';
}

function saveAttachments(reply: Reply, dir: string | undefined, output: { write(text: string): void }) {
  if (!dir) return;
  for (const block of reply.blocks) {
    if (block.type !== 'attachment') continue;
    const file = path.join(dir, path.basename(block.filename));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, block.content);
    output.write(terminalText(`Saved ${block.filename} to ${file}\n\n`));
  }
}

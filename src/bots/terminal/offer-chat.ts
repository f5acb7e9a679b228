import os from 'node:os';
import type { Conversation } from '../core/ports.ts';
import { runTerminalChat } from './chat.ts';

/**
 * `npm start` without Slack or Teams: when started from a terminal, the server also chats on stdin/stdout (the
 * embedded store belongs to one process, so the chat must run in this one). Leaving the chat keeps the server up.
 * Returns false when stdin is not a terminal (the banner then says how to reach the chat).
 */
export function offerTerminalChat(options: {
  conversation: Conversation;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: { write(text: string): void };
  /** Ctrl-C in the chat stops the server, as it would without the chat. */
  onInterrupt: () => void;
}): boolean {
  if (!options.stdin.isTTY) return false;
  let interrupted = false;
  void runTerminalChat({
    conversation: options.conversation,
    input: options.stdin,
    output: options.stdout,
    interactive: true,
    user: { userId: userName(), isCoordinator: true },
    attachmentDir: process.cwd(),
    onInterrupt: () => {
      interrupted = true;
      options.onInterrupt();
    },
  }).then(
    () => {
      if (!interrupted)
        options.stderr.write('The chat is closed; the server keeps running. Press Ctrl-C to stop it.\n');
    },
    (error: unknown) => options.stderr.write(`The terminal chat stopped: ${(error as Error).message}\n`),
  );
  return true;
}

function userName(): string {
  try {
    return os.userInfo().username || 'terminal';
  } catch {
    return 'terminal';
  }
}

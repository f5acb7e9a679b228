/**
 * The one escaping function for text written to a terminal (the chat, the CLI's output and its error messages).
 * Escape sequences (CSI such as `ESC[2J`, OSC such as a window title or hyperlink, and the rest) are removed whole,
 * then every other control character except line breaks (LF, CRLF) and tabs, and the bidirectional overrides that make text
 * read differently from what it holds. A title can then neither clear the screen nor pose as other output.
 */
export function terminalText(text: string): string {
  return (
    text
      // OSC … BEL / ST, DCS/SOS/PM/APC … ST, CSI … final byte, then any other ESC + one character.
      .replace(/\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g, '')
      .replace(/\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?/g, '')
      .replace(/(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?/g, '')
      .replace(/\u001b[\s\S]?/g, '')
      // A carriage return not ending a line would let text overwrite what is already on it.
      .replace(/\r(?!\n)/g, '')
      // C0 and C1 controls except tab, line feed and CRLF; DEL; bidi embeddings, overrides and isolates.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
  );
}

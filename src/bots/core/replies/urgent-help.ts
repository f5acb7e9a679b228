import type { SearchResponse } from '../../../catalogue/search/types.ts';
import type { Reply, ReplyBlock } from '../reply.ts';

export const URGENT_TITLE = 'If someone is at risk right now, get help first';
export const URGENT_NOTE = 'Then any listings that may also help.';

/** The urgent help block: 999 first, then the lines that fit the risk. */
export function urgentBlock(urgent: NonNullable<SearchResponse['urgent']>): ReplyBlock {
  return {
    type: 'urgent',
    title: URGENT_TITLE,
    lines: urgent.lines.map((l) => ({ name: l.name, phone: l.phone })),
    note: URGENT_NOTE,
  };
}

/** The reply with urgent help put before everything else, in its blocks and in its fallback text. */
export function withUrgentHelpFirst(reply: Reply, urgent: SearchResponse['urgent']): Reply {
  if (!urgent || urgent.lines.length === 0) return reply;
  const plain = `${URGENT_TITLE}: ${urgent.lines.map((l) => `${l.phone} (${l.name})`).join('; ')}.`;
  return { ...reply, fallbackText: `${plain}\n${reply.fallbackText}`, blocks: [urgentBlock(urgent), ...reply.blocks] };
}

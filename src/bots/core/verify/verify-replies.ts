import { COORDINATOR_SOURCE } from '../../../catalogue/manual-entries.ts';
import type { VerifyRow } from '../../../catalogue/verify/verify-queue.ts';
import { ACTION } from '../action-ids.ts';
import type { ReplyButton, ReplyListItem } from '../reply.ts';

/**
 * A listing to check, as the `verify` reply and the weekly digest show it: title, source and last confirmation
 * (plain text: renderers escape it), with *Still running*, *Has closed* and, on coordinator entries when the entry
 * form is on, *Edit*.
 */
export function verifyListItem(r: VerifyRow, options: { canEdit: boolean }): ReplyListItem {
  return {
    title: r.title,
    lines: [`${r.source} · ${r.lastConfirmed ? `last confirmed ${r.lastConfirmed}` : 'never confirmed'}`],
    buttons: verifyButtons(r, options),
  };
}

export function verifyButtons(r: VerifyRow, options: { canEdit: boolean }): ReplyButton[] {
  const value = JSON.stringify({ id: r.id });
  return [
    { label: 'Still running', action: ACTION.verifyConfirm, value, style: 'primary' },
    { label: 'Has closed', action: ACTION.verifyClose, value, style: 'danger' },
    ...(options.canEdit && r.source === COORDINATOR_SOURCE
      ? [{ label: 'Edit', action: ACTION.editEntry, value: r.externalId }]
      : []),
  ];
}

/** Button and card-submit action ids, dotted and namespaced; each platform sends them back unchanged. */
export const ACTION = {
  details: 'catalogue.details',
  more: 'catalogue.more',
  share: 'catalogue.share',
  postToChannel: 'catalogue.post',
  flag: 'catalogue.flag',
  book: 'booking.book',
  cancelBooking: 'booking.cancel',
  joinWaitlist: 'booking.waitlist',
  leaveWaitlist: 'booking.leave-waitlist',
  acceptOffer: 'booking.accept-offer',
  myBookings: 'booking.mine',
  subscribe: 'digest.subscribe',
  unsubscribe: 'digest.unsubscribe',
  help: 'core.help',
  /** Coordinators: open the entry form empty, or for an entry (the value is its id), and save it. */
  addEntry: 'entry.add',
  editEntry: 'entry.edit',
  saveEntry: 'entry.save',
  /** Coordinators' verification queue: *Still running* and *Has closed* (the value is the listing's id). */
  verifyConfirm: 'verify.confirm',
  verifyClose: 'verify.close',
  /** "Did the resident go?": *Went*, *Didn't go*, *Wasn't suitable*, then a reason (the value names the follow-up). */
  followUpAnswer: 'followup.answer',
  followUpReason: 'followup.reason',
  /**
   * The list for a resident: *Add to list* and *Remove* (the value is the listing's id), *Send list*, and its three
   * ways to send: a text message, a leaflet (the value says which print) and emptying it.
   */
  shortlistAdd: 'shortlist.add',
  shortlistRemove: 'shortlist.remove',
  shortlistShow: 'shortlist.show',
  shortlistSms: 'shortlist.sms',
  shortlistLeaflet: 'shortlist.leaflet',
  shortlistClear: 'shortlist.clear',
} as const;

export type ActionId = (typeof ACTION)[keyof typeof ACTION];

export const ACTION_IDS: readonly ActionId[] = Object.values(ACTION);

export function isActionId(value: string): value is ActionId {
  return (ACTION_IDS as readonly string[]).includes(value);
}

import { ACTION } from '../action-ids.ts';
import { actions, context, heading, type Reply, text } from '../reply.ts';

/** Example questions a newcomer can copy; they work on the demo catalogue. */
export const EXAMPLE_QUESTIONS = [
  'free lunch club near Kentish Town on Tuesdays, step-free',
  'something for a Bengali-speaking man who is lonely',
  'dementia cafe this week',
] as const;

export type HelpOptions = {
  /** A first-time greeting rather than an answer to "help". */
  greeting?: boolean;
  /** Booking and digests are only offered when those features are on. */
  bookings?: boolean;
  digests?: boolean;
  /** The coordinators' verification queue ("verify"). */
  verify?: boolean;
  /** The coordinators' entry form ("add entry", "edit …"). */
  entries?: boolean;
  /** The list for a resident ("add 2", "send list"). */
  shortlist?: boolean;
  /** "Did the resident go?" follow-ups after a share ("follow-ups off"). */
  followUps?: boolean;
};

/** What Signpost does and how to ask, with examples. */
export function buildHelpReply(options: HelpOptions = {}): Reply {
  const intro = options.greeting
    ? 'Hello! I help you find community activities, training and support in Camden for the residents you work with.'
    : 'Ask me in your own words what a resident needs: a topic, a place, a day, a cost or access needs.';
  const examples = EXAMPLE_QUESTIONS.map((q) => `• ${q}`);
  const commands = [
    '**more**: the next results',
    '**details 2**: everything about result 2',
    '**share 2**: a short text to give the resident (SMS or print)',
    ...(options.shortlist
      ? [
          '**add 2**: put result 2 on a list for the resident; **send list**: send it as a text message or a printed leaflet',
        ]
      : []),
    ...(options.followUps
      ? ['**follow-ups off**: no “Did the resident go?” question after you share; **follow-ups on** to have them again']
      : []),
    ...(options.bookings ? ['**book 2**: book a place on training; **my bookings**: your places'] : []),
    ...(options.digests
      ? [
          '**subscribe**: a regular digest of what is new here (add “with checks” for the listings to check each week); **unsubscribe** to stop',
        ]
      : []),
    ...(options.entries ? ['**add entry**, **edit** _part of a title_: coordinators add or correct a listing'] : []),
    ...(options.verify ? ['**verify**: coordinators check the listings nobody has confirmed for a while'] : []),
  ];
  const body = [intro, '', '**Try asking:**', ...examples, '', '**Then:**', ...commands.map((c) => `• ${c}`)].join(
    '\n',
  );
  const buttons = options.bookings ? [{ label: 'My bookings', action: ACTION.myBookings, value: '{}' }] : [];
  const note = 'Please do not type residents’ names or personal details: describe what they need instead.';
  return {
    fallbackText: `${intro} Try asking: ${EXAMPLE_QUESTIONS.map((q) => `"${q}"`).join(', ')}.`,
    blocks: [
      heading(options.greeting ? 'Welcome to Signpost' : 'How to use Signpost'),
      text(body),
      ...(buttons.length ? [actions(buttons)] : []),
      context(note),
    ],
  };
}

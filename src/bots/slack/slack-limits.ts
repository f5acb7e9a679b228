/**
 * Block Kit limits that Slack enforces by rejecting the call (`invalid_blocks`, `msg_too_long`). The renderer keeps
 * every message inside them; see docs.slack.dev "Block Kit reference".
 */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  messageBlocks: 50,
  /** Blocks in a modal or the App Home tab. */
  viewBlocks: 100,
  /** Characters of a section's text. */
  sectionText: 3000,
  /** Characters of a header (plain text only). */
  headerText: 150,
  /** Fields in one section. */
  sectionFields: 10,
  /** Characters of one field. */
  fieldText: 2000,
  /** Elements in one context block. */
  contextElements: 10,
  /** Characters of one context element (same as a section's text). */
  contextText: 3000,
  /** Elements in one actions block. */
  actionsElements: 25,
  /** Characters of a button's label. */
  buttonText: 75,
  /** Characters of a button's value. */
  buttonValue: 2000,
  /** Characters of a link button's URL. */
  buttonUrl: 3000,
  /** action_id, block_id, callback_id. */
  id: 255,
  /** The top-level `text` Slack truncates after (we stay well below it). */
  messageText: 4000,
  /** Total characters of serialised blocks in one message, kept below the point Slack starts refusing. */
  messageBlocksChars: 12_000,
  /** Options in a static select. */
  selectOptions: 100,
  /** Characters of a modal's private_metadata. */
  privateMetadata: 3000,
} as const;

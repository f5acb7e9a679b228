import { randomUUID } from 'node:crypto';

/**
 * The one correlation id: a short reference (8 hex digits) a person can quote and support can find in the log line
 * that records the failure. Every error boundary (conversation, CLI, Slack, Teams) logs and shows the same value.
 */
export function newCorrelationId(): string {
  return randomUUID().slice(0, 8);
}

import { newCorrelationId as newReference } from '../../correlation-id.ts';
import type { Logger } from '../../logger.ts';
import { apologyText } from '../core/replies/errors.ts';

/** The one correlation id, in capitals as Slack messages show it (and as it is logged from Slack). */
export function newCorrelationId(): string {
  return newReference().toUpperCase();
}

export { apologyText };

/**
 * Runs a listener's work after its ack. A failure is logged with a correlation id (message and stack in the log,
 * never the user's text) and the user gets a short apology through `apologise`, never the error itself.
 */
export async function withBoundary(
  logger: Logger,
  what: string,
  work: () => Promise<void>,
  apologise: (text: string) => Promise<unknown>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const correlationId = newCorrelationId();
    logger.error('slack handler failed', {
      what,
      correlationId,
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    try {
      await apologise(apologyText(correlationId));
    } catch (sendError) {
      logger.warn('could not send the apology', { what, correlationId, error: String(sendError) });
    }
  }
}

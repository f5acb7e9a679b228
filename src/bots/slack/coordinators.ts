import type { webApi } from '@slack/bolt';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';

/**
 * Whether a Slack user is a coordinator. `client` is the request's own (with installs, it holds that workspace's
 * token, which reading the user group needs).
 */
export type CoordinatorCheck = (userId: string, client?: webApi.WebClient) => Promise<boolean>;

/**
 * Coordinators are the configured user ids plus, when set, the members of one Slack user group (usergroups:read),
 * cached for five minutes. The lookup never holds up an acknowledgement: a stale list is used while a fresh one is
 * fetched in the background, and the very first lookup waits at most `firstWaitMs` (then, until the list arrives,
 * only the configured ids count). When the group cannot be read the last known members are used, and nobody new is
 * let in.
 */
export function createCoordinatorCheck(options: {
  userIds: readonly string[];
  usergroup: string | null;
  client: webApi.WebClient;
  clock: Clock;
  logger: Logger;
  cacheMs?: number;
  firstWaitMs?: number;
}): CoordinatorCheck {
  const fixed = new Set(options.userIds);
  const cacheMs = options.cacheMs ?? 5 * 60_000;
  const firstWaitMs = options.firstWaitMs ?? 1_000;
  let members: Set<string> | undefined;
  let fetchedAt = -Infinity;
  let pending: Promise<Set<string> | undefined> | undefined;

  const refresh = (client: webApi.WebClient): Promise<Set<string> | undefined> =>
    (pending ??= client.usergroups.users
      .list({ usergroup: options.usergroup ?? '' })
      .then((r) => {
        members = new Set(r.users ?? []);
        fetchedAt = options.clock.now().getTime();
        return members;
      })
      .catch((error: unknown) => {
        options.logger.warn('could not read the coordinators user group', {
          usergroup: options.usergroup,
          error: String(error),
        });
        return members;
      })
      .finally(() => {
        pending = undefined;
      }));

  const groupMembers = async (client: webApi.WebClient): Promise<Set<string> | undefined> => {
    if (!options.usergroup) return undefined;
    if (members && options.clock.now().getTime() - fetchedAt < cacheMs) return members;
    const fetching = refresh(client);
    if (members) return members;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), firstWaitMs);
      timer.unref();
    });
    try {
      return await Promise.race([fetching, waited]);
    } finally {
      clearTimeout(timer);
    }
  };

  return async (userId, client) =>
    fixed.has(userId) || ((await groupMembers(client ?? options.client))?.has(userId) ?? false);
}

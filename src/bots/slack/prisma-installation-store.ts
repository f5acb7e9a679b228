import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { Clock } from '../../clock.ts';
import type { PrismaClient } from '../../db/prisma-client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

/**
 * What we read back from the `installation` JSON column: the parts Bolt's authorize and our notifier use, checked;
 * the rest of Bolt's Installation object is kept as it was stored.
 */
const StoredInstallationSchema = z.looseObject({
  team: z.looseObject({ id: z.string().min(1), name: z.string().optional() }).optional(),
  enterprise: z.looseObject({ id: z.string().min(1), name: z.string().optional() }).optional(),
  bot: z
    .looseObject({
      token: z.string().min(1),
      userId: z.string().min(1),
      id: z.string().optional(),
      scopes: z.array(z.string()),
    })
    .optional(),
  isEnterpriseInstall: z.boolean().optional(),
  authVersion: z.enum(['v1', 'v2']).optional(),
});

/** The installation's key: the team id, or the enterprise id for an Enterprise Grid org-wide install. */
export function installKeyOf(query: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): string | undefined {
  return query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
}

export class InstallationNotFoundError extends Error {
  override name = 'InstallationNotFoundError';
  readonly code = 'SLACK.NOT_INSTALLED';
}

/** Bolt's InstallationStore on the `slack_installation` table (PGlite or PostgreSQL). */
export type SlackInstallations = InstallationStore & {
  /**
   * The bot token for a delivery's workspace: its installation key (the team id, or the enterprise id for an
   * org-wide install, as the Slack listeners record it); undefined when it is not installed.
   */
  botToken(installKey: string): Promise<string | undefined>;
  /** Every installed workspace's key, oldest installation first. */
  keys(): Promise<string[]>;
  /** Every installation's bot token, oldest first (deliveries that name no workspace try them in turn). */
  botTokens(): Promise<string[]>;
};

export function createPrismaInstallationStore(prisma: PrismaClient, clock: Clock): SlackInstallations {
  const find = async (installKey: string) => {
    const row = await prisma.slackInstallation.findUnique({ where: { installKey } });
    if (!row) return undefined;
    const parsed = StoredInstallationSchema.safeParse(row.installation);
    if (!parsed.success) throw new Error(`stored Slack installation ${installKey} is unreadable`);
    return parsed.data;
  };
  // A workspace inside an Enterprise Grid org that installed the app org-wide is served by the org's installation.
  const lookup = async (query: InstallationQuery<boolean>) => {
    const own = query.teamId && !query.isEnterpriseInstall ? await find(query.teamId) : undefined;
    if (own) return own;
    return query.enterpriseId ? find(query.enterpriseId) : undefined;
  };

  return {
    async storeInstallation(installation) {
      const isEnterpriseInstall = installation.isEnterpriseInstall === true;
      const teamId = installation.team?.id;
      const enterpriseId = installation.enterprise?.id;
      const installKey = installKeyOf({ teamId, enterpriseId, isEnterpriseInstall });
      if (!installKey) throw new Error('Slack installation without a team or enterprise id');
      const now = clock.now();
      const data = {
        teamId: teamId ?? null,
        enterpriseId: enterpriseId ?? null,
        isEnterpriseInstall,
        teamName: (isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ?? null,
        botUserId: installation.bot?.userId ?? null,
        installation: installation as unknown as Prisma.InputJsonValue,
        updatedAt: now,
      };
      await prisma.slackInstallation.upsert({
        where: { installKey },
        create: { installKey, installedAt: now, ...data },
        update: data,
      });
    },
    async fetchInstallation(query) {
      const found = await lookup(query);
      if (!found)
        throw new InstallationNotFoundError(`Signpost is not installed in ${installKeyOf(query) ?? 'that workspace'}`);
      return found as unknown as Installation;
    },
    async deleteInstallation(query) {
      const installKey = installKeyOf(query);
      if (installKey) await prisma.slackInstallation.deleteMany({ where: { installKey } });
    },
    async botToken(installKey) {
      return (await find(installKey))?.bot?.token;
    },
    async keys() {
      const rows = await prisma.slackInstallation.findMany({
        select: { installKey: true },
        orderBy: { installedAt: 'asc' },
      });
      return rows.map((r) => r.installKey);
    },
    async botTokens() {
      const rows = await prisma.slackInstallation.findMany({
        select: { installKey: true, installation: true },
        orderBy: { installedAt: 'asc' },
      });
      return rows.flatMap((r) => {
        const parsed = StoredInstallationSchema.safeParse(r.installation);
        return parsed.success && parsed.data.bot ? [parsed.data.bot.token] : [];
      });
    },
  };
}

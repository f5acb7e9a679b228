/**
 * Where the bot may post: Bot Framework's own service URLs (Teams' `smba.trafficmanager.net` regions, the
 * government clouds, `*.botframework.com`) plus hosts named in TEAMS_SERVICE_URL_HOSTS. A stored conversation
 * reference is only saved from, and a proactive post only sent to, an allowed service URL, so an activity cannot
 * point the bot at a server of its choosing. In Emulator mode the Emulator's loopback address is the one allowed.
 */
export const BOT_FRAMEWORK_SERVICE_HOSTS = [
  'smba.trafficmanager.net',
  '*.botframework.com',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
] as const;

export type ServiceUrlPolicy = (serviceUrl: string | undefined) => boolean;

export function createServiceUrlPolicy(options: {
  emulator: boolean;
  extraHosts?: readonly string[];
}): ServiceUrlPolicy {
  const patterns = [...BOT_FRAMEWORK_SERVICE_HOSTS, ...(options.extraHosts ?? [])]
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const hostAllowed = (host: string) =>
    patterns.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p));
  return (serviceUrl) => {
    if (!serviceUrl) return false;
    let url: URL;
    try {
      url = new URL(serviceUrl);
    } catch {
      return false;
    }
    if (options.emulator) {
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
      );
    }
    return url.protocol === 'https:' && !url.username && !url.password && hostAllowed(url.hostname.toLowerCase());
  };
}

import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>;
type HttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type WebResource = Parameters<HttpClient['sendRequest']>[0];
type HttpOperationResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;

/** Statuses Bot Framework asks callers to retry with back-off (throttled, precondition race, gateway errors). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 412, 502, 504]);

/** The connector answered with a status we handle ourselves instead of letting the SDK's pipeline retry it. */
export class ConnectorStatusError extends Error {
  override name = 'ConnectorStatusError';
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`Bot Framework connector answered HTTP ${status}`);
  }
}

/**
 * The HTTP transport for botbuilder's connector client. The SDK's own pipeline silently retries 5xx answers up to
 * three times with second-long delays and waits out any Retry-After itself; raising those statuses as errors here
 * leaves one place (TeamsNotifier) deciding how often and how long to retry, and turn replies fail fast.
 */
export function createConnectorHttpClient(options: { timeoutMs?: number } = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async sendRequest(request: WebResource): Promise<HttpOperationResponse> {
      const headers = request.headers.toJson({ preserveCase: true });
      const body =
        typeof request.body === 'string' || request.body instanceof Uint8Array
          ? request.body
          : request.body == null
            ? undefined
            : JSON.stringify(request.body);
      const res = await fetch(request.url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const bodyAsText = await res.text();
      if (RETRYABLE_STATUSES.has(res.status) || res.status >= 500) {
        throw new ConnectorStatusError(res.status, parseRetryAfter(res.headers.get('retry-after')));
      }
      const raw: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        raw[name] = value;
      });
      return { request, status: res.status, headers: headersLike(raw), bodyAsText } as HttpOperationResponse;
    },
  };
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The old core-http `HttpHeadersLike` the SDK's compatibility layer reads back. */
function headersLike(raw: Record<string, string>) {
  const map = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), { name: k, value: v }]));
  return {
    get: (name: string) => map.get(name.toLowerCase())?.value,
    contains: (name: string) => map.has(name.toLowerCase()),
    set: (name: string, value: string | number) => void map.set(name.toLowerCase(), { name, value: String(value) }),
    remove: (name: string) => map.delete(name.toLowerCase()),
    rawHeaders: () => Object.fromEntries([...map.values()].map((h) => [h.name.toLowerCase(), h.value])),
    headersArray: () => [...map.values()],
    headerNames: () => [...map.values()].map((h) => h.name),
    headerValues: () => [...map.values()].map((h) => h.value),
    toJson: (options?: { preserveCase?: boolean }) =>
      Object.fromEntries(
        [...map.values()].map((h) => [options?.preserveCase ? h.name : h.name.toLowerCase(), h.value]),
      ),
    clone() {
      return headersLike(this.toJson({ preserveCase: true }));
    },
  };
}

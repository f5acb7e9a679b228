/**
 * Whether a value is a web address we may show as a link or publish: http or https with a host, and nothing a
 * browser or chat client would read otherwise (no spaces, control characters, quotes or angle brackets).
 * `javascript:`, `data:`, `file:` and every other scheme are refused.
 */
export function isWebUrl(value: string | null | undefined): value is string {
  if (!value || value.length > 2000) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  if (/[\s\p{Cc}"<>`\\]/u.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

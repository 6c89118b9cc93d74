/** Statuses Chrome follows when they carry a Location. */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Chrome's (and the Fetch standard's) limit. */
export const MAX_REDIRECTS = 20;

/** Headers that describe a body: dropped with the body when a redirect turns a request into a GET. */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length'];

/** The method after a redirect, as Chrome's network stack picks it. */
export function redirectMethod(status: number, method: string): string {
  if (status === 303 && method !== 'HEAD') return 'GET';
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  return method;
}

/** Where a response redirects to (none when it does not); `net::ERR_UNSAFE_REDIRECT` for a target no request may go to. */
export function redirectTarget(response: Response, from: string, allowed: (protocol: string) => boolean): URL | undefined {
  const location = response.headers.get('location');
  if (!REDIRECT_STATUSES.has(response.status) || location === null) return undefined;
  const target = new URL(location, from);
  if (!allowed(target.protocol)) throw new Error('net::ERR_UNSAFE_REDIRECT');
  return target;
}

/**
 * The request headers of the next hop: without the body's when the method changed,
 * and without `Authorization` when the hop leaves the origin (as the Fetch standard says).
 */
export function redirectHeaders(headers: Headers, from: string, to: URL, methodChanged: boolean): Headers {
  const next = new Headers(headers);
  if (methodChanged) for (const name of BODY_HEADERS) next.delete(name);
  if (new URL(from).origin !== to.origin) next.delete('authorization');
  return next;
}

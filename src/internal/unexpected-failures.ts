import type { CdpSession } from '../../protocol/cdp-session.js';

/**
 * Requests a protocol handler failed by throwing or by answering with no
 * Response. Electron fails them with `net::ERR_UNEXPECTED`; Chrome's
 * interception has no such reason (`Fetch.failRequest` gives ERR_FAILED), so
 * they are remembered here by page and URL, and the navigation or fetch that
 * failed with ERR_FAILED because of one is reported as ERR_UNEXPECTED.
 */
const failed = new WeakMap<CdpSession, Set<string>>();

/** The marks kept per page: the latest few (a page whose subresources keep failing keeps no more). */
const KEPT = 32;

export function markUnexpected(client: CdpSession, url: string): void {
  const urls = failed.get(client) ?? new Set<string>();
  urls.add(url);
  if (urls.size > KEPT) urls.delete(urls.values().next().value!);
  failed.set(client, urls);
}

/** `errorText` as Electron would have it for `url` on `client`'s page (and forgets the mark). */
export function asElectronFailure(client: CdpSession, url: string, errorText: string): string {
  const urls = failed.get(client);
  if (!urls?.delete(url) || !errorText.startsWith('net::ERR_FAILED')) return errorText;
  return 'net::ERR_UNEXPECTED';
}

import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { REDIRECT_STATUSES } from './redirects.js';

/** Who hears of a document's server redirects: the page's WebContents ('will-redirect', 'did-redirect-navigation'). */
export interface RedirectGate {
  /** Whether the page listens (then its documents' responses are paused, to be seen before Chrome follows). */
  wanted(pageTargetId: string): boolean;
  /** A document of `frameId` is redirected to `url`: true when a listener prevented it. */
  willRedirect(pageTargetId: string, frameId: string, url: string): boolean;
  /** The redirect is being followed. */
  redirected(pageTargetId: string, frameId: string, url: string): void;
}

// Set by web-contents.ts, which knows the pages; read by the interceptor.
let gate: RedirectGate = { wanted: () => false, willRedirect: () => false, redirected: () => undefined };
const watchers = new Set<() => Promise<unknown>>();

export function setRedirectGate(value: RedirectGate): void {
  gate = value;
}

export function redirectGate(): RedirectGate {
  return gate;
}

/** Runs `watcher` whenever a page starts or stops listening for redirects; returns the disposer. */
export function onRedirectDemandChanged(watcher: () => Promise<unknown>): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** Brings every session's targets in line; resolves once Chrome has the new interception. */
export async function redirectDemandChanged(): Promise<void> {
  await Promise.all([...watchers].map((watcher) => watcher().catch(() => undefined)));
}

/** The Fetch pattern that shows a listening page's document responses (redirects among them) before Chrome acts on them. */
export const DOCUMENT_RESPONSES: Protocol.Fetch.RequestPattern = { urlPattern: '*', resourceType: 'Document', requestStage: 'Response' };

/**
 * A document response paused for the gate: when it redirects, the page is
 * asked; a prevented redirect fails the navigation with `ERR_ABORTED` (as
 * Electron's navigation throttle cancels it) and true is returned. Otherwise
 * the caller goes on with the response.
 */
export async function gateRedirect(client: CdpSession, pageTargetId: string | undefined, event: Protocol.Fetch.RequestPausedEvent): Promise<boolean> {
  if (!pageTargetId || event.resourceType !== 'Document' || !REDIRECT_STATUSES.has(event.responseStatusCode ?? 0)) return false;
  const location = event.responseHeaders?.find((header) => header.name.toLowerCase() === 'location')?.value;
  if (location === undefined || !gate.wanted(pageTargetId)) return false;
  const url = new URL(location, event.request.url).href;
  const frameId = event.frameId ?? '';
  if (gate.willRedirect(pageTargetId, frameId, url)) {
    await client.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'Aborted' });
    return true;
  }
  gate.redirected(pageTargetId, frameId, url);
  return false;
}

import { CdpSessionEvent, type CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { asElectronFailure } from './unexpected-failures.js';

export type NavigationOutcome =
  | { kind: 'loaded' }
  | { kind: 'same-document' }
  | { kind: 'failed'; errorText: string };

/**
 * Navigates the main frame and resolves when that navigation's document has
 * fired `load` (or failed, or stayed in the same document).
 *
 * The listeners are in place before `Page.navigate` is sent: for a small page
 * the load event can arrive right after the navigate reply.
 */
export function navigateAndWait(
  client: CdpSession,
  mainFrameId: string,
  params: Protocol.Page.NavigateRequest,
): Promise<NavigationOutcome> {
  return new Promise((resolve, reject) => {
    let committedLoader: string | undefined;
    let ourLoader: string | undefined;
    let loadedLoader: string | undefined;
    const cleanup = (): void => {
      client.off('Page.frameNavigated', onNavigated);
      client.off('Page.loadEventFired', onLoad);
      client.off(CdpSessionEvent.Detached, onDetached);
    };
    const finish = (outcome: NavigationOutcome): void => {
      cleanup();
      resolve(outcome);
    };
    const onNavigated = ({ frame }: Protocol.Page.FrameNavigatedEvent): void => {
      if (frame.parentId === undefined && frame.id === mainFrameId) committedLoader = frame.loaderId;
    };
    const onLoad = (): void => {
      loadedLoader = committedLoader;
      if (ourLoader !== undefined && loadedLoader === ourLoader) finish({ kind: 'loaded' });
    };
    const onDetached = (): void => finish({ kind: 'failed', errorText: 'net::ERR_ABORTED' });
    client.on('Page.frameNavigated', onNavigated);
    client.on('Page.loadEventFired', onLoad);
    client.once(CdpSessionEvent.Detached, onDetached);
    client.send('Page.navigate', params).then(
      (result) => {
        if (result.errorText) finish({ kind: 'failed', errorText: asElectronFailure(client, params.url, result.errorText) });
        else if (!result.loaderId) finish({ kind: 'same-document' });
        else {
          ourLoader = result.loaderId;
          if (loadedLoader === ourLoader) finish({ kind: 'loaded' });
        }
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

const REFERRER_POLICIES: Record<string, Protocol.Page.ReferrerPolicy> = {
  'no-referrer': 'noReferrer',
  'no-referrer-when-downgrade': 'noReferrerWhenDowngrade',
  origin: 'origin',
  'origin-when-cross-origin': 'originWhenCrossOrigin',
  'same-origin': 'sameOrigin',
  'strict-origin': 'strictOrigin',
  'strict-origin-when-cross-origin': 'strictOriginWhenCrossOrigin',
  'unsafe-url': 'unsafeUrl',
};

/** Electron's `httpReferrer` (a URL, or `{url, policy}`) as Page.navigate parameters. */
export function referrerParams(
  httpReferrer: string | { url: string; policy?: string } | undefined,
): Pick<Protocol.Page.NavigateRequest, 'referrer' | 'referrerPolicy'> {
  if (!httpReferrer) return {};
  if (typeof httpReferrer === 'string') return { referrer: httpReferrer };
  const policy = httpReferrer.policy ? REFERRER_POLICIES[httpReferrer.policy] : undefined;
  return policy ? { referrer: httpReferrer.url, referrerPolicy: policy } : { referrer: httpReferrer.url };
}

/** Electron's `extraHeaders` ("Name: value\n...") as a header object. */
export function parseExtraHeaders(extraHeaders: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of (extraHeaders ?? '').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

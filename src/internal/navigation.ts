import { CdpSessionEvent, type CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { loadError, netError, type LoadError } from './net-errors.js';
import { asElectronFailure } from './unexpected-failures.js';

export type NavigationOutcome =
  | { kind: 'loaded' }
  | { kind: 'same-document' }
  | { kind: 'failed'; errorText: string }
  /** Ended before loading, with no failure of its own: another navigation replaced it (`url`), or the renderer crashed. */
  | { kind: 'abandoned'; errorText: string; url?: string };

const SAME_DOCUMENT = new Set(['sameDocument', 'historySameDocument']);

/**
 * Navigates the main frame and resolves when that navigation's document has
 * fired `load` (or failed, or stayed in the same document).
 *
 * The listeners are in place before `Page.navigate` is sent: for a small page
 * the load event can arrive right after the navigate reply. As in Electron's
 * `loadURL`, another document navigation of the main frame started after ours
 * (a second `loadURL`, a page script's or a link's) abandons ours, and so does
 * a crash of the renderer: neither leaves the wait pending.
 */
export function navigateAndWait(
  client: CdpSession,
  mainFrameId: string,
  params: Protocol.Page.NavigateRequest,
  /** Subscribes to the crash of the page's renderer (Chrome answers no navigation of a dead one); returns the unsubscribe. */
  onCrash?: (crashed: () => void) => () => void,
): Promise<NavigationOutcome> {
  return new Promise((resolve, reject) => {
    let committedLoader: string | undefined;
    let ourLoader: string | undefined;
    let loadedLoader: string | undefined;
    /** The main frame's document navigations started since ours was sent, in order. */
    const started: Array<{ loaderId: string; url: string }> = [];
    const cleanup = (): void => {
      client.off('Page.frameNavigated', onNavigated);
      client.off('Page.loadEventFired', onLoad);
      client.off('Page.frameStartedNavigating', onStarted);
      stopCrashWatch();
      client.off(CdpSessionEvent.Detached, onDetached);
    };
    /** The navigation started after ours (the one of loader `ours`), which replaces it. */
    const replacement = (ours: string | undefined): { url: string } | undefined => {
      const index = started.findIndex((start) => start.loaderId === ours);
      return index < 0 ? undefined : started.slice(index + 1).find((start) => start.loaderId !== ours);
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
    const onStarted = ({ frameId, loaderId, url, navigationType }: Protocol.Page.FrameStartedNavigatingEvent): void => {
      if (frameId !== mainFrameId || SAME_DOCUMENT.has(navigationType)) return;
      started.push({ loaderId, url });
      const next = ourLoader === undefined ? undefined : replacement(ourLoader);
      if (next) finish({ kind: 'abandoned', errorText: 'net::ERR_ABORTED', url: next.url });
    };
    const onDetached = (): void => finish({ kind: 'failed', errorText: 'net::ERR_ABORTED' });
    client.on('Page.frameNavigated', onNavigated);
    client.on('Page.loadEventFired', onLoad);
    client.on('Page.frameStartedNavigating', onStarted);
    const stopCrashWatch = onCrash?.(() => finish({ kind: 'abandoned', errorText: 'net::ERR_FAILED' })) ?? ((): void => undefined);
    client.once(CdpSessionEvent.Detached, onDetached);
    client.send('Page.navigate', params).then(
      (result) => {
        // Aborted before its reply: by a navigation that started after ours (without its loader, the first start since sending is ours).
        const after = result.errorText === 'net::ERR_ABORTED' ? replacement(result.loaderId ?? started[0]?.loaderId) : undefined;
        if (after) finish({ kind: 'abandoned', errorText: 'net::ERR_ABORTED', url: after.url });
        else if (result.errorText) finish({ kind: 'failed', errorText: asElectronFailure(client, params.url, result.errorText) });
        else if (!result.loaderId) finish({ kind: 'same-document' });
        else {
          ourLoader = result.loaderId;
          const next = replacement(ourLoader);
          if (loadedLoader === ourLoader) finish({ kind: 'loaded' });
          else if (next) finish({ kind: 'abandoned', errorText: 'net::ERR_ABORTED', url: next.url });
        }
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

/** `loadURL`'s rejection for an abandoned load: Electron names the navigation that replaced it, when one did. */
export function abandonedError(outcome: Extract<NavigationOutcome, { kind: 'abandoned' }>, url: string): LoadError {
  const { errorCode, errorDescription } = netError(outcome.errorText);
  return loadError(errorCode, errorDescription, outcome.url ?? url);
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

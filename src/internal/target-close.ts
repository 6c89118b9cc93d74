import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import { settlesWithin } from './within.js';

/** How long a page whose close Chrome refused may take to go by itself before we call it gone. */
const REFUSED_CLOSE_WAIT_MS = 2_000;
/** How long a close Chrome accepted may take before it is asked again, and how often it is asked. */
const CLOSE_RETRY_MS = 750;
const CLOSE_TRIES = 6;

/**
 * Closes a page target and resolves once it is gone (`gone`, from its
 * Detached event).
 *
 * - The page's Page domain is switched off first: Chrome (seen on 156)
 *   crashes the whole browser (SIGSEGV) when a page closes while a
 *   JavaScript dialog opens in one of its same-process iframes with the Page
 *   domain on, and our navigation guard opens such a dialog for every
 *   navigation a document starts (an iframe's `location.reload()` just
 *   before a close is enough). Not awaited: a renderer held by a dialog
 *   answers only once the page is gone. The cost: a dialog that opens now
 *   is nobody's, so Chrome waits out its unload timeout (~0.5 s) to close.
 * - Chrome accepts a close and then forgets it when the main frame commits
 *   a navigation at that moment (a `location.reload()` just before): the
 *   page lives on. So an accepted close is asked again as soon as Chrome
 *   reports the page changed while still attached (at most every other
 *   try), or when it is not done within a while; after a few tries the page
 *   is declared gone (`destroyNow`).
 * - Should Chrome refuse the close (the target or the whole browser already
 *   going), the page is given a moment to go by itself, then declared gone.
 */
export async function closeTarget(root: CdpSession, page: CdpSession, targetId: string, gone: Promise<void>, destroyNow: () => void): Promise<void> {
  void sendMayFail(page, 'Page.disable');
  let isGone = false;
  void gone.then(() => (isGone = true));
  // Wakes the current try's wait when the page changes while still attached (a dropped close).
  let wake = (): void => undefined;
  const unsubscribe = onAttachedChange(root, targetId, () => wake());
  try {
    let heedChanges = true;
    for (let tries = 1; ; tries++) {
      // Made before the close is sent: a change reported before Chrome's answer counts too.
      let changed = false;
      const woken = new Promise<void>((resolve) => (wake = () => resolve(void (changed = true))));
      const refused = await root.send('Target.closeTarget', { targetId }).then(
        () => false,
        () => true,
      );
      if (refused) {
        if (!(await settlesWithin(gone, REFUSED_CLOSE_WAIT_MS))) destroyNow();
        return;
      }
      await settlesWithin(heedChanges ? Promise.race([gone, woken]) : gone, CLOSE_RETRY_MS);
      if (isGone) return;
      // A change asks again at once, but only every other try: a page that keeps changing still gets its time.
      heedChanges = !(heedChanges && changed);
      if (tries === CLOSE_TRIES) {
        debug.ignored('page %s still there after %d closes: declared gone', targetId, tries);
        return destroyNow();
      }
    }
  } finally {
    unsubscribe();
  }
}

/** Per browser connection, the closes waiting on changes of their targets: one listener, however many pages close at once. */
const changeWatchers = new WeakMap<CdpSession, Map<string, Set<() => void>>>();

/** Calls `listener` whenever Chrome reports that the target changed while attached; returns the unsubscribe. */
function onAttachedChange(root: CdpSession, targetId: string, listener: () => void): () => void {
  let watchers = changeWatchers.get(root);
  if (!watchers) {
    const byTarget = new Map<string, Set<() => void>>();
    watchers = byTarget;
    changeWatchers.set(root, byTarget);
    root.subscribe('Target.targetInfoChanged', ({ targetInfo }) => {
      if (targetInfo.attached) for (const notify of byTarget.get(targetInfo.targetId) ?? []) notify();
    });
  }
  const listeners = watchers.get(targetId) ?? new Set<() => void>();
  watchers.set(targetId, listeners.add(listener));
  return () => {
    listeners.delete(listener);
    if (!listeners.size && watchers.get(targetId) === listeners) watchers.delete(targetId);
  };
}

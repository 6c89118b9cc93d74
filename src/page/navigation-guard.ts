/** The start of the prompt() the guard asks with; the page's session answers it (it is no dialog of the page's). */
export const NAVIGATE_PROMPT = '\u2063chrome-session-navigate:';

interface NavigateEventLike {
  cancelable: boolean;
  navigationType: string;
  downloadRequest: string | null;
  destination: { url: string; sameDocument: boolean };
  preventDefault(): void;
}

/**
 * Page-side: before a document navigates its frame itself (a link, `location`,
 * a form, `location.reload()`, a meta refresh: the Navigation API's `navigate`
 * event for a cross-document navigation), it asks the session synchronously,
 * through a prompt() the session answers at once, whether a 'will-navigate' /
 * 'will-frame-navigate' listener prevented it. Loads the session starts
 * (`loadURL`), history traversals, same-document navigations and downloads
 * are not asked, as in Electron. Chrome refuses dialogs to frames not of the
 * top frame's origin, so those are not asked either. `window.open()` asks
 * the same way (see window-open.ts). Runs before the page's scripts;
 * serialized with Function#toString, so it must be self-contained.
 */
export function guardNavigations(prefix: string): void {
  const navigation = (globalThis as unknown as { navigation?: EventTarget }).navigation;
  if (!navigation || typeof navigation.addEventListener !== 'function') return;
  const ask = window.prompt;
  const mayAsk = (): boolean => {
    if (window === window.top) return true;
    try {
      return window.top?.location.origin === location.origin;
    } catch {
      return false;
    }
  };
  navigation.addEventListener('navigate', (raw) => {
    const event = raw as unknown as NavigateEventLike;
    if (!event.cancelable || event.destination.sameDocument || event.navigationType === 'traverse' || event.downloadRequest !== null) return;
    if (!mayAsk()) return;
    let answer: string | null = null;
    try {
      answer = ask.call(window, prefix + JSON.stringify({ kind: 'navigate', url: event.destination.url }));
    } catch {
      return;
    }
    if (answer === '1') event.preventDefault();
  });
  // window.open() asks too: a window the session's window-open handler denies is never made, and open() gives null.
  const open = window.open;
  const sameWindow = new Set(['_self', '_parent', '_top']);
  const guarded = function (this: Window, ...args: unknown[]): Window | null {
    const [url, target, features] = args;
    const name = target === undefined ? '' : String(target);
    if (!sameWindow.has(name.toLowerCase()) && mayAsk()) {
      let href = String(url);
      try {
        href = url === undefined || href === '' ? 'about:blank' : new URL(href, document.baseURI).href;
      } catch {
        // Chrome's open() throws for it below.
      }
      const asked = { kind: 'open', url: href, frameName: name === '_blank' ? '' : name, features: features === undefined ? '' : String(features) };
      let answer: string | null = null;
      try {
        answer = ask.call(window, prefix + JSON.stringify(asked));
      } catch {
        answer = null;
      }
      if (answer === '1') return null;
    }
    return open.apply(this, args as Parameters<typeof window.open>);
  };
  Object.defineProperty(guarded, 'name', { value: 'open' });
  window.open = guarded as typeof window.open;
}

export const NAVIGATION_GUARD_SCRIPT = `(${guardNavigations.toString()})(${JSON.stringify(NAVIGATE_PROMPT)})`;

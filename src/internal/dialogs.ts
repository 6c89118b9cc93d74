import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import { NAVIGATE_PROMPT } from '../page/navigation-guard.js';

/** Decides a page's navigation its guard asked about: true prevents it (WebContents sets it). */
export type NavigationDecider = (pageTargetId: string, frameId: string, url: string) => boolean;
let decideNavigation: NavigationDecider = () => false;

export function setNavigationDecider(decider: NavigationDecider): void {
  decideNavigation = decider;
}

/**
 * The start of a prompt() a page script of ours makes as a synchronous
 * channel to the session (permission checks: `Notification.permission`):
 * whoever set it up answers it; it is no dialog of the page's.
 */
export const SYNC_PROMPT = '\u2063chrome-session:';

/**
 * JavaScript dialogs never wait for a user who is not there: `alert`,
 * `confirm` and `prompt` are dismissed at once (confirm gives false, prompt
 * null), as Puppeteer and Playwright do by default; Electron would show a
 * message box and wait. `beforeunload` is the window's (its
 * 'will-prevent-unload' event decides), and our own prompts are answered
 * by what made them.
 */
export function dismissDialogs(client: CdpSession, pageTargetId: string): void {
  client.on('Page.javascriptDialogOpening', ({ type, message, frameId }) => {
    if (type === 'beforeunload' || message.startsWith(SYNC_PROMPT)) return;
    if (message.startsWith(NAVIGATE_PROMPT)) return answerNavigation(client, pageTargetId, frameId, message.slice(NAVIGATE_PROMPT.length));
    debug.ignored('%s dialog dismissed: %s', type, message);
    void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: false });
  });
}

/** The navigation guard's question (page/navigation-guard.ts), answered at once: the page waits on it. */
function answerNavigation(client: CdpSession, pageTargetId: string, frameId: string, asked: string): void {
  let prevent = false;
  try {
    const { url } = JSON.parse(asked) as { url: string };
    prevent = decideNavigation(pageTargetId, frameId, String(url));
  } catch (error) {
    debug.ignored('navigation guard: %s', error);
  }
  void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: true, promptText: prevent ? '1' : '0' });
}

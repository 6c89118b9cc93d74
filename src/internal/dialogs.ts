import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';

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
export function dismissDialogs(client: CdpSession): void {
  client.on('Page.javascriptDialogOpening', ({ type, message }) => {
    if (type === 'beforeunload' || message.startsWith(SYNC_PROMPT)) return;
    debug.ignored('%s dialog dismissed: %s', type, message);
    void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: false });
  });
}

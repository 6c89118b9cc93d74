import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import { debug } from '../../protocol/debug.js';
import { NAVIGATE_PROMPT } from '../page/navigation-guard.js';

/**
 * Answers one kind of question of the page guard (page/navigation-guard.ts:
 * `navigate`, `open`) for a page target's frame; true prevents what the
 * page was about to do. Set by the modules that own the answer.
 */
export type GuardAnswerer = (pageTargetId: string, frameId: string, asked: Record<string, unknown>) => boolean;
const answerers = new Map<string, GuardAnswerer>();

export function answerGuard(kind: string, answerer: GuardAnswerer): void {
  answerers.set(kind, answerer);
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
    if (message.startsWith(NAVIGATE_PROMPT)) return answerGuardPrompt(client, pageTargetId, frameId, message.slice(NAVIGATE_PROMPT.length));
    debug.ignored('%s dialog dismissed: %s', type, message);
    void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: false });
  });
}

/** The page guard's question (page/navigation-guard.ts), answered at once: the page waits on it. */
function answerGuardPrompt(client: CdpSession, pageTargetId: string, frameId: string, question: string): void {
  let prevent = false;
  try {
    const asked = JSON.parse(question) as Record<string, unknown>;
    prevent = answerers.get(String(asked.kind))?.(pageTargetId, frameId, asked) ?? false;
  } catch (error) {
    debug.ignored('page guard: %s', error);
  }
  void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: true, promptText: prevent ? '1' : '0' });
}

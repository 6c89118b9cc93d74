import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { TITLE_BINDING, TITLE_SCRIPT } from '../page/title-observer.js';
import { NAVIGATION_GUARD_SCRIPT } from '../page/navigation-guard.js';
import { dismissDialogs } from './dialogs.js';
import { watchFrames } from './frame-states.js';

const PAGE_SCRIPT = `${TITLE_SCRIPT};\n${NAVIGATION_GUARD_SCRIPT}`;

/**
 * What a window's page needs before it runs: Page (load and navigation
 * events), Runtime (console messages, evaluation, bindings) and the title
 * observer (Chrome reports title changes late or not at all). Sent together
 * while the target is paused. Not Network: its events for every request cost
 * a third of a 50-resource page load; features that need it enable it.
 * JavaScript dialogs are answered at once (see dialogs.ts), and documents ask
 * before they navigate (page/navigation-guard.ts, for 'will-navigate'). The frames of
 * pages and of their out-of-process iframes are watched from here on
 * (frame-states.ts, for WebFrameMain).
 */
export function enablePageDomains(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<unknown> {
  const frames = watchFrames(client, info);
  if (info.type !== 'page') return frames;
  dismissDialogs(client, info.targetId);
  return Promise.all([
    frames,
    client.send('Page.enable'),
    client.send('Runtime.enable'),
    client.send('Runtime.addBinding', { name: TITLE_BINDING }),
    // One script, one command: both run in every document of the page (the title observer in its top frame only).
    client.send('Page.addScriptToEvaluateOnNewDocument', { source: PAGE_SCRIPT }),
  ]);
}

import { spawn } from 'node:child_process';
import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';

/** Schemes Chrome loads itself: a navigation to any other is a link for an external application. */
const CHROME_SCHEMES = new Set([
  'http', 'https', 'ws', 'wss', 'file', 'data', 'blob', 'about', 'javascript', 'filesystem',
  'view-source', 'chrome', 'chrome-untrusted', 'chrome-extension', 'chrome-error', 'devtools',
]);

export interface ExternalOpenOptions {
  /** Whether the session serves the scheme itself (`protocol.handle`). */
  handled(scheme: string): boolean;
  /** The request handler's answer for `openExternal` from the frame of target `targetId`. */
  ask(targetId: string, details: { externalURL: string; requestingUrl: string; isMainFrame: boolean }): Promise<boolean>;
}

/**
 * `openExternal` permission requests: a page or frame navigating to a
 * scheme no browser loads (`mailto:`, `myapp://…`) asks the session's request
 * handler with `externalURL`, and a granted link is opened with the
 * system's opener, as Electron does (`xdg-open`, `open`, `start`). Chrome
 * is started with an `xdg-open` that opens nothing (launcher/external-opener.ts),
 * so it never opens a link itself. Seen by `Page.frameRequestedNavigation`:
 * navigations the page asks for, not `loadURL()`'s.
 */
export class ExternalOpen {
  readonly #options: ExternalOpenOptions;

  constructor(options: ExternalOpenOptions) {
    this.#options = options;
  }

  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (info.type !== 'page' && info.type !== 'iframe') return;
    // Each frame's last committed URL, for `requestingUrl`.
    const urls = new Map<string, string>([[info.targetId, info.url]]);
    client.on('Page.frameNavigated', ({ frame }) => urls.set(frame.id, frame.url + (frame.urlFragment ?? '')));
    client.on('Page.frameDetached', ({ frameId }) => urls.delete(frameId));
    client.on('Page.frameRequestedNavigation', ({ frameId, url }) => {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
      if (!scheme || CHROME_SCHEMES.has(scheme) || this.#options.handled(scheme)) return;
      const details = { externalURL: url, requestingUrl: urls.get(frameId) ?? '', isMainFrame: info.type === 'page' && frameId === info.targetId };
      this.#options.ask(info.targetId, details).then(
        (granted) => granted && openWithSystem(url),
        (error: unknown) => debug.ignored('openExternal %s: %s', url, error),
      );
    });
  }
}

/** The system's opener for `url`, detached; a machine with none opens nothing (logged). */
function openWithSystem(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', (error) => debug.ignored('opening %s: %s', url, error));
  child.unref();
}

import type { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import CDP from 'chrome-remote-interface';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import { findChrome } from '../../launcher/index.js';
import { CLOSED_NETWORK_ARGS, UNMATCHED, type Driver } from './driver.js';

type Client = CDP.Client;

/**
 * The floor: the fewest raw CDP calls through chrome-remote-interface that do
 * each scenario's work (flat sessions, no auto-attach, nothing extra enabled).
 */
export class RawCdpDriver implements Driver {
  readonly name = 'raw CDP';
  #chrome!: LaunchedChrome;
  #client!: Client;
  /** chrome-remote-interface emits `<method>.<sessionId>` events; its typings do not list them. */
  #events!: EventEmitter;
  #reusedContext = '';
  #cookieContext = '';
  #fifty!: { sessionId: string };
  #unmatched!: { sessionId: string };
  #proxied: { sessionId: string } | undefined;

  async start(): Promise<void> {
    this.#chrome = await launch({
      chromePath: findChrome(),
      userDataDir: mkdtempSync(join(tmpdir(), 'bench-raw-')),
      ignoreDefaultFlags: true,
      handleSIGINT: false,
      connectionPollInterval: 50,
      // The floor runs the Chrome configuration chrome-session uses, so ratios to it measure the library, not switches.
      chromeFlags: ['--headless=new', ...CLOSED_NETWORK_ARGS, '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup'],
    });
    const version = (await CDP.Version({ port: this.#chrome.port })) as { webSocketDebuggerUrl: string };
    this.#client = await CDP({ target: version.webSocketDebuggerUrl, local: true });
    this.#events = this.#client as unknown as EventEmitter;
    this.#reusedContext = await this.#newContext();
    this.#cookieContext = await this.#newContext();
    const context = await this.#newContext();
    this.#fifty = await this.#openPage(context);
    // 3n: interception on for good, with a pattern none of the page's requests match.
    this.#unmatched = await this.#openPage(await this.#newContext());
    await this.#client.send('Fetch.enable', { patterns: [{ urlPattern: UNMATCHED }] }, this.#unmatched.sessionId);
  }

  async stop(): Promise<void> {
    await this.#client.send('Browser.close').catch(() => undefined);
    await this.#client.close().catch(() => undefined);
    this.#chrome.kill();
  }

  async #newContext(): Promise<string> {
    const { browserContextId } = await this.#client.send('Target.createBrowserContext', {});
    return browserContextId;
  }

  async #openPage(browserContextId: string): Promise<{ targetId: string; sessionId: string }> {
    const { targetId } = await this.#client.send('Target.createTarget', { url: 'about:blank', browserContextId, newWindow: true });
    const { sessionId } = await this.#client.send('Target.attachToTarget', { targetId, flatten: true });
    await this.#client.send('Page.enable', undefined, sessionId);
    return { targetId, sessionId };
  }

  async #load(sessionId: string, url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => this.#events.once(`Page.loadEventFired.${sessionId}`, () => resolve()));
    await this.#client.send('Page.navigate', { url }, sessionId);
    await loaded;
  }

  async newContextLoadClose(url: string): Promise<void> {
    const context = await this.#newContext();
    const page = await this.#openPage(context);
    await this.#load(page.sessionId, url);
    await this.#client.send('Target.closeTarget', { targetId: page.targetId });
    await this.#client.send('Target.disposeBrowserContext', { browserContextId: context });
  }

  async reuseContextLoadClose(url: string): Promise<void> {
    const page = await this.#openPage(this.#reusedContext);
    await this.#load(page.sessionId, url);
    await this.#client.send('Target.closeTarget', { targetId: page.targetId });
  }

  async cookies150(origin: string): Promise<void> {
    const browserContextId = this.#cookieContext;
    const cookies = Array.from({ length: 150 }, (_, i) => ({ url: origin, name: `c${i}`, value: `v${i}` }));
    await this.#client.send('Storage.setCookies', { cookies, browserContextId });
    const { cookies: all } = await this.#client.send('Storage.getCookies', { browserContextId });
    if (all.length !== 150) throw new Error(`expected 150 cookies, got ${all.length}`);
    await this.#client.send('Storage.clearCookies', { browserContextId });
  }

  async load50(url: string): Promise<void> {
    await this.#load(this.#fifty.sessionId, url);
  }

  async load50Unmatched(url: string): Promise<void> {
    await this.#load(this.#unmatched.sessionId, url);
  }

  async load50Intercepted(url: string): Promise<void> {
    const { sessionId } = this.#fifty;
    const onPaused = (params: { requestId: string }) => {
      // After Fetch.disable a late pause (the favicon) has already been let go.
      this.#client.send('Fetch.continueRequest', { requestId: params.requestId }, sessionId).catch(() => undefined);
    };
    this.#events.on(`Fetch.requestPaused.${sessionId}`, onPaused);
    await this.#client.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }, sessionId);
    try {
      await this.#load(sessionId, url);
    } finally {
      await this.#client.send('Fetch.disable', undefined, sessionId);
      this.#events.off(`Fetch.requestPaused.${sessionId}`, onPaused);
    }
  }

  async load50Proxied(url: string, proxy: string): Promise<void> {
    if (!this.#proxied) {
      const { browserContextId } = await this.#client.send('Target.createBrowserContext', { proxyServer: `http://${proxy}` });
      this.#proxied = await this.#openPage(browserContextId);
    }
    await this.#load(this.#proxied.sessionId, url);
  }

  async throughput(contexts: number, urls: string[]): Promise<void> {
    await Promise.all(
      Array.from({ length: contexts }, async () => {
        const context = await this.#newContext();
        const page = await this.#openPage(context);
        for (const url of urls) await this.#load(page.sessionId, url);
        await this.#client.send('Target.closeTarget', { targetId: page.targetId });
        await this.#client.send('Target.disposeBrowserContext', { browserContextId: context });
      }),
    );
  }
}

import { debug } from '../../protocol/debug.js';
import type { TargetManager, TargetRecord } from '../../protocol/target-manager.js';
import type { BrowserHost, ContextOptions } from './browser-host.js';
import { whenClosedOr } from './when-closed.js';

export interface FreshContext {
  targets: TargetManager;
  /** A running blank page in the context, ready for the session's first window. */
  page?: TargetRecord | undefined;
}

const IDLE_MS = 15_000;
const PREPARE_LATEST_MS = 2_000;

/**
 * New browser contexts for in-memory partitions. An app that keeps creating
 * partitions gets one spare context, with a page already running in it (the
 * renderer start is most of a first window's cost), made ahead of time.
 *
 * Bounded: one spare per Chrome, only after the second partition, disposed
 * after 15 s unused. The adopting session applies its own settings to the
 * spare page before using it; until adopted, no API can see the spare.
 */
export class ContextPool {
  readonly #host: BrowserHost;
  #spare: Promise<FreshContext | undefined> | undefined;
  #idle: NodeJS.Timeout | undefined;
  #taken = 0;

  constructor(host: BrowserHost) {
    this.#host = host;
  }

  /** A context for a new session; spares are made with the default proxy bypass, so one that proxies loopback is made anew. */
  async take(options: ContextOptions = {}): Promise<FreshContext> {
    this.#taken++;
    if (options.proxyLoopback) return { targets: await this.#host.createContext(options) };
    const pending = this.#spare;
    this.#spare = undefined;
    clearTimeout(this.#idle);
    const spare = pending ? await pending : undefined;
    const page = spare?.page?.status === 'ready' ? spare.page : undefined;
    if (this.#taken >= 2) this.#prepareLater(page);
    if (spare) return { targets: spare.targets, page };
    return { targets: await this.#host.createContext() };
  }

  /**
   * Makes the next spare once `page` (the spare page just given out) is closed, or
   * PREPARE_LATEST_MS later if it is still open; at once without one. Chrome making a
   * context and page beside a navigation slows it down by half here (see PagePool).
   */
  #prepareLater(page: TargetRecord | undefined): void {
    if (page) whenClosedOr(page.client, PREPARE_LATEST_MS, () => this.#prepare());
    else this.#prepare();
  }

  #prepare(): void {
    if (this.#spare || this.#host.state !== 'open') return;
    const pending = this.#create().catch((error: unknown) => {
      debug.ignored('spare context not created: %s', error);
      return undefined;
    });
    this.#spare = pending;
    this.#idle = setTimeout(() => {
      if (this.#spare !== pending) return;
      this.#spare = undefined;
      // Its manager and proxy forwarder go with it.
      void pending.then((unused) => unused && this.#host.disposeContext(unused.targets)).catch((error: unknown) => debug.ignored('spare context not disposed: %s', error));
    }, IDLE_MS);
    this.#idle.unref();
  }

  async #create(): Promise<FreshContext> {
    const targets = await this.#host.createContext();
    const { targetId } = await this.#host.connection.root.send('Target.createTarget', {
      url: 'about:blank',
      newWindow: true,
      width: 800,
      height: 600,
      browserContextId: targets.browserContextId,
    });
    return { targets, page: await targets.waitForTarget(targetId) };
  }
}

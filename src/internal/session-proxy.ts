import { debug } from '../../protocol/debug.js';
import type { ContextOptions } from './browser-host.js';
import type { ProxyForwarder } from './proxy-forwarder.js';
import { ProxySettings, type ProxyConfig } from './proxy-settings.js';
import { toPacString } from './proxy-server.js';
import { proxyConfigFromSwitches } from './proxy-switches.js';
import { runtime } from './runtime.js';

/**
 * A session's proxy: its configuration (setProxy), the answers resolveProxy
 * gives, and the forwarder of the session's Chrome context that follows it
 * for every new connection. Set before the context exists, a configuration
 * with `<-loopback>` makes Chrome send loopback traffic to the forwarder too.
 */
export class SessionProxy {
  readonly #settings = new ProxySettings(() => proxyConfigFromSwitches(runtime.commandLine));
  readonly #choose = (url: URL) => this.#settings.resolve(url);
  #forwarder: ProxyForwarder | undefined;
  /** resolveProxy answers in the order it was asked, as Electron's do. */
  #queue: Promise<unknown> = Promise.resolve();

  /** How the session's context is to be made. */
  contextOptions(): ContextOptions {
    return { proxyLoopback: this.#settings.proxiesLoopback };
  }

  /** The forwarder of the session's (new or restarted) context. */
  attach(forwarder: ProxyForwarder | undefined): void {
    this.#forwarder = forwarder;
    forwarder?.route(this.#choose);
    if (!forwarder) debug.ignored('session context without a proxy forwarder: setProxy cannot steer it');
  }

  /** setProxy: validates (Electron's errors), then new connections follow the configuration. */
  set(config: ProxyConfig): void {
    this.#settings.set(config);
    this.#forwarder?.route(this.#choose);
  }

  /** Chrome's PAC-format answer for `url`; `''` when the configuration cannot be had. Never rejects. */
  resolve(url: string): Promise<string> {
    const answer = this.#queue.then(async () => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return '';
      }
      const list = await this.#settings.resolve(parsed).catch(() => null);
      return list ? toPacString(list) : '';
    });
    this.#queue = answer;
    return answer;
  }

  forceReload(): Promise<void> {
    return this.#settings.forceReload().catch((error: unknown) => debug.ignored('PAC reload: %s', error));
  }

  closeAllConnections(): void {
    this.#forwarder?.closeConnections();
  }
}

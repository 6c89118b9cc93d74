import { constants as osConstants } from 'node:os';
import { Connection } from '../../protocol/connection.js';
import type { ConnectionClosedError } from '../../protocol/errors.js';
import { TargetRouter } from '../../protocol/target-router.js';
import type { TargetManager } from '../../protocol/target-manager.js';
import { ContextPool } from './context-pool.js';
import { enablePageDomains } from './page-hooks.js';
import { launch, connectBrowser, type BrowserProcess, type BrowserExit, type ConnectOptions, type WebDriverSession, isLoopbackUrl } from '../../launcher/index.js';
import { debug } from '../../protocol/debug.js';
import { ProxyForwarder } from './proxy-forwarder.js';

export interface HostLaunchOptions {
  userDataDir: string;
  args: string[];
  headless: boolean;
  executablePath?: string | undefined;
  protocolTimeout?: number | undefined;
  /** Whether the default context's requests to loopback go through its proxy forwarder too (`<-loopback>`). */
  proxyLoopback?: boolean | undefined;
}

/** What a new context's proxy is fixed to: its own forwarder, loopback included or not. */
export interface ContextOptions {
  proxyLoopback?: boolean | undefined;
}

export interface HostGone {
  /** Whether we asked for it (close) or Chrome went away on its own. */
  expected: boolean;
  error: ConnectionClosedError;
  exit: BrowserExit | undefined;
}

type HostState = 'open' | 'closing' | 'closed';

/**
 * One Chrome: the process we started (or the endpoint we connected to), its
 * CDP connection, and the router that hands targets to per-context managers.
 * The main Chrome and every persistent partition each have one.
 */
export class BrowserHost {
  readonly connection: Connection;
  readonly router: TargetRouter;
  readonly process: BrowserProcess | undefined;
  readonly defaultContext: TargetManager;
  readonly userAgent: string;
  /** Spare contexts for in-memory partitions (main Chrome). */
  readonly contexts = new ContextPool(this);
  /** Each context's proxy forwarder (Chrome fixes a context's proxy when it is made: it is always ours). */
  readonly #forwarders = new Map<TargetManager, ProxyForwarder>();
  /** Whether new contexts get a proxy forwarder (Chrome runs on this machine). */
  #forwardsProxies = true;
  /** The WebDriver session that started this browser (Selenium Grid): deleted when we are done with it. */
  #webDriver: WebDriverSession | undefined;
  readonly #goneListeners = new Set<(gone: HostGone) => void>();
  #state: HostState = 'open';

  private constructor(
    connection: Connection,
    router: TargetRouter,
    process: BrowserProcess | undefined,
    defaultContext: TargetManager,
    userAgent: string,
  ) {
    this.connection = connection;
    this.router = router;
    this.process = process;
    this.defaultContext = defaultContext;
    this.userAgent = userAgent;
    connection.onClose((error) => void this.#didClose(error));
  }

  static async launch(options: HostLaunchOptions): Promise<BrowserHost> {
    const forwarder = await ProxyForwarder.start();
    const proxyArgs = [`--proxy-server=${forwarder.address}`];
    if (options.proxyLoopback) proxyArgs.push('--proxy-bypass-list=<-loopback>');
    const launched = await launch({
      userDataDir: options.userDataDir,
      args: [...options.args, ...proxyArgs],
      headless: options.headless,
      executablePath: options.executablePath,
    }).catch(async (error: unknown) => {
      await forwarder.close();
      throw error;
    });
    const connection = new Connection(launched.transport, {
      protocolTimeout: options.protocolTimeout,
      browserLogs: () => launched.process.stderrTail(),
      closeCause: () => launched.process.exited.then((exit) => describeExit(launched.process.pid, exit)),
    });
    try {
      const host = await BrowserHost.#initialize(connection, launched.process);
      host.#forwarders.set(host.defaultContext, forwarder);
      return host;
    } catch (error) {
      launched.process.kill();
      await forwarder.close();
      throw new Error(`Chrome did not start with profile ${options.userDataDir}: ${String(error)}${hint(launched.process)}`, {
        cause: error,
      });
    }
  }

  /** A browser elsewhere (a DevTools endpoint, or one a WebDriver server such as Selenium Grid starts for us). */
  static async connect(endpoint: string, options: ConnectOptions & { protocolTimeout?: number | undefined } = {}): Promise<BrowserHost> {
    const { transport, webDriver } = await connectBrowser(endpoint, options);
    try {
      const closeCause = async (): Promise<string> => `The browser at ${endpoint} went away`;
      const host = await BrowserHost.#initialize(new Connection(transport, { protocolTimeout: options.protocolTimeout, closeCause }), undefined);
      host.#webDriver = webDriver;
      // Our forwarders listen on this machine's loopback: a Chrome elsewhere could not reach them.
      host.#forwardsProxies = isLoopbackUrl(endpoint);
      return host;
    } catch (error) {
      transport.close();
      await webDriver?.end();
      throw error;
    }
  }

  static async #initialize(connection: Connection, process: BrowserProcess | undefined): Promise<BrowserHost> {
    const router = new TargetRouter(connection);
    let defaultContext: TargetManager | undefined;
    const [version] = await Promise.all([
      connection.root.send('Browser.getVersion'),
      router.initialize((id) => {
        defaultContext = router.createManager(id);
        defaultContext.addAttachHook(enablePageDomains);
      }),
    ]);
    // Headless Chrome says "HeadlessChrome" in its user agent; sites treat that as a bot.
    const userAgent = version.userAgent.replace('HeadlessChrome/', 'Chrome/');
    return new BrowserHost(connection, router, process, defaultContext!, userAgent);
  }

  get state(): HostState {
    return this.#state;
  }

  /**
   * Set once the browser went away without our asking (its connection closed
   * while we had it open): how each window of it reports its end, as
   * Electron's `render-process-gone` details.
   */
  lostDetails(): { reason: 'crashed' | 'killed' | 'abnormal-exit' | 'clean-exit'; exitCode: number } | undefined {
    if (this.#state !== 'open' || !this.connection.closed) return undefined;
    const exit = this.process?.exit;
    if (exit?.signal) return { reason: exit.signal === 'SIGKILL' ? 'killed' : 'crashed', exitCode: osConstants.signals[exit.signal] ?? 0 };
    return { reason: exit?.code === 0 ? 'clean-exit' : 'abnormal-exit', exitCode: exit?.code ?? 0 };
  }

  /** A new, isolated browser context (an in-memory partition), its proxy fixed to a forwarder of its own. */
  async createContext(options: ContextOptions = {}): Promise<TargetManager> {
    const forwarder = this.#forwardsProxies ? await ProxyForwarder.start() : undefined;
    try {
      const { browserContextId } = await this.connection.root.send('Target.createBrowserContext', {
        disposeOnDetach: true,
        ...(forwarder ? { proxyServer: forwarder.address } : {}),
        ...(forwarder && options.proxyLoopback ? { proxyBypassList: '<-loopback>' } : {}),
      });
      const manager = this.router.createManager(browserContextId);
      manager.addAttachHook(enablePageDomains);
      if (forwarder) this.#forwarders.set(manager, forwarder);
      return manager;
    } catch (error) {
      await forwarder?.close();
      throw error;
    }
  }

  /** The proxy forwarder a context of this Chrome goes through (none for the default context of a Chrome we connected to). */
  forwarderOf(manager: TargetManager): ProxyForwarder | undefined {
    return this.#forwarders.get(manager);
  }

  async disposeContext(manager: TargetManager): Promise<void> {
    this.router.removeManager(manager);
    void this.#forwarders.get(manager)?.close();
    this.#forwarders.delete(manager);
    if (this.#state !== 'open') return;
    await this.connection.root.send('Target.disposeBrowserContext', { browserContextId: manager.browserContextId });
  }

  /** Runs `listener` once when this Chrome is gone (closed by us, exited or crashed). */
  onGone(listener: (gone: HostGone) => void): () => void {
    this.#goneListeners.add(listener);
    return () => this.#goneListeners.delete(listener);
  }

  /** Closes Chrome gracefully (Browser.close flushes the profile), then kills what is left. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.#state !== 'open') {
      await this.process?.exited;
      return;
    }
    this.#state = 'closing';
    if (!this.process) {
      this.connection.close();
      await this.#webDriver?.end();
      return;
    }
    await this.process.close(() => this.connection.root.send('Browser.close'), graceMs);
    this.connection.close();
  }

  /** For exit paths that cannot wait: SIGTERM (Chrome then shuts down cleanly on its own). */
  terminateSync(): void {
    this.#state = 'closing';
    this.process?.terminate();
  }

  async #didClose(error: ConnectionClosedError): Promise<void> {
    const expected = this.#state !== 'open';
    this.#state = 'closed';
    // A connection can drop while the process lingers; never leave one behind.
    if (this.process?.running && !expected) this.process.kill();
    // A WebDriver session whose browser we lost would hold its Grid slot until Grid's timeout.
    if (!expected) void this.#webDriver?.end();
    const exit = this.process ? await this.process.exited : undefined;
    const forwarders = [...this.#forwarders.values()];
    this.#forwarders.clear();
    await Promise.all(forwarders.map((forwarder) => forwarder.close())).catch((failure: unknown) => debug.ignored('forwarders: %s', failure));
    for (const listener of this.#goneListeners) listener({ expected, error, exit });
    this.#goneListeners.clear();
  }
}

/** Why a Chrome we started is gone, for the errors of the calls it cut off. */
export function describeExit(pid: number, exit: BrowserExit): string {
  if (exit.signal === 'SIGKILL') return `Chrome (pid ${pid}) was killed (SIGKILL; also how the kernel ends a process out of memory)`;
  if (exit.signal) return `Chrome (pid ${pid}) crashed (${exit.signal})`;
  return `Chrome (pid ${pid}) exited with code ${exit.code ?? 'unknown'}`;
}

function hint(process: BrowserProcess): string {
  const logs = process.stderrTail();
  let advice = '';
  if (/ProcessSingleton|profile appears to be in use/i.test(logs)) {
    advice = '\nHint: another Chrome is using this profile; only one process can own a user-data-dir.';
  } else if (/No usable sandbox|--no-sandbox/i.test(logs)) {
    advice = '\nHint: Chrome cannot start its sandbox; as root it needs --no-sandbox.';
  }
  return `${advice}${logs ? `\nBrowser logs:\n${logs}` : ''}`;
}

import { BrowserHost, type ContextOptions, type HostGone } from './browser-host.js';
import { PROXY_SWITCHES } from './proxy-switches.js';
import { RemotePool, type BrowserEndpoint } from './remote-pool.js';
import { CommandLine } from '../command-line.js';
import { keepAlive } from './keep-alive.js';
import { useStartedRules } from './host-rules.js';
import { defaultChromeArgs, isLoopbackUrl } from '../../launcher/index.js';

export type RuntimeState = 'idle' | 'starting' | 'ready' | 'quitting' | 'quit';

/**
 * Process-wide state behind `app`: the Chromes we run, the switches they get,
 * and the process hooks that make sure none outlives us.
 */
class Runtime {
  readonly commandLine = new CommandLine();
  readonly hosts = new Set<BrowserHost>();
  /** Run at quit before the browsers close (windows emit 'close'/'closed' here); `false`: a window refused to close. */
  readonly quitHooks = new Set<() => Promise<boolean | void> | boolean | void>();
  /** Run once the quit goes ahead, just before the browsers close (a net log is written here). */
  readonly closeHooks = new Set<() => Promise<void>>();
  state: RuntimeState = 'idle';
  #hooksInstalled = false;
  /** Set when a host dies unexpectedly; app forwards it as 'child-process-gone'. */
  onHostCrash: ((gone: HostGone) => void) | undefined;
  /** The app's quit (events, then closeAll); signals go through it. */
  quit: (() => Promise<void>) | undefined;
  /** Set when a remote browser is lost; app forwards it as 'remote-browser-lost'. */
  onRemoteLost: ((endpoint: string, reason: string) => void) | undefined;
  /** Browsers to connect to instead of launching the main Chrome (`app.setBrowserEndpoints`, CHROME_SESSION_ENDPOINTS). */
  endpoints: BrowserEndpoint[] | undefined;
  #remote: RemotePool | undefined;

  get headless(): boolean {
    return !(process.env.DISPLAY && process.env.CHROME_SESSION_HEADED === '1');
  }

  /** The profile of the main Chrome (the default session's), set when the app starts. */
  mainProfile: string | undefined;
  /** The browser's own user agent (headless marker removed), known once a Chrome has started. */
  userAgent = '';
  #main: Promise<BrowserHost> | undefined;

  /** The browsers elsewhere, when endpoints are set. */
  #pool(): RemotePool | undefined {
    if (!this.endpoints?.length) return undefined;
    this.#remote ??= new RemotePool(this.endpoints, {
      connected: (host) => {
        this.#installProcessHooks();
        // Reached while the app quits, past the point where every browser is closed: let go at once.
        if (this.#stopping()) return void host.close();
        this.hosts.add(host);
        host.onGone(() => this.hosts.delete(host));
      },
      lost: (endpoint, reason) => this.onRemoteLost?.(endpoint, reason),
    }, (endpoint) => this.#webDriverArgs(endpoint));
    return this.#remote;
  }

  /** Where a new in-memory partition goes: the least loaded remote browser, or the main Chrome. */
  contextHost(): Promise<BrowserHost> {
    if (this.#stopping()) return Promise.reject(new Error('Cannot start Chrome: the app is quitting'));
    return this.#pool()?.place() ?? this.mainHost();
  }

  /** The main Chrome (the first endpoint's browser, with endpoints), started again if it died. */
  mainHost(): Promise<BrowserHost> {
    const profile = this.mainProfile;
    if (!profile) return Promise.reject(new Error('The app is not ready'));
    if (!this.#main) {
      const pool = this.#pool();
      const starting = pool ? pool.first() : this.startHost(profile);
      this.#main = starting;
      starting.then(
        (host) => host.onGone(() => {
          if (this.#main === starting) this.#main = undefined;
        }),
        () => {
          if (this.#main === starting) this.#main = undefined;
        },
      );
    }
    return this.#main;
  }

  async startHost(userDataDir: string, options: ContextOptions = {}): Promise<BrowserHost> {
    if (this.#stopping()) throw new Error('Cannot start Chrome: the app is quitting');
    this.#installProcessHooks();
    useStartedRules(this.commandLine.getSwitchValue('host-resolver-rules'));
    const host = await BrowserHost.launch({
      userDataDir,
      // Chrome's own proxy switches would bypass the sessions' forwarders: sessions take them as their default configuration.
      args: this.commandLine.toArgs().filter((arg) => !PROXY_SWITCHES.some((name) => arg === `--${name}` || arg.startsWith(`--${name}=`))),
      proxyLoopback: options.proxyLoopback,
      headless: this.headless,
      executablePath: process.env.CHROME_PATH || undefined,
    });
    this.hosts.add(host);
    this.userAgent ||= host.userAgent;
    host.onGone((gone) => {
      this.hosts.delete(host);
      if (!gone.expected) this.onHostCrash?.(gone);
    });
    // Quitting may have begun while this Chrome was starting.
    if (this.#stopping()) {
      await host.close();
      throw new Error('Cannot start Chrome: the app is quitting');
    }
    return host;
  }

  /** What a Chrome that a WebDriver server (Selenium Grid) starts for us gets: our switches and the app's. */
  #webDriverArgs(endpoint: string): string[] {
    // Only a server on this machine is known to run Chrome as our user (as root, Chrome needs --no-sandbox).
    return [
      // The display is the node's: CHROME_SESSION_HEADED=1 alone asks for a visible Chrome there.
      ...defaultChromeArgs({ headless: process.env.CHROME_SESSION_HEADED !== '1', noSandbox: isLoopbackUrl(endpoint) && process.getuid?.() === 0 }),
      ...this.commandLine.toArgs().filter((arg) => !PROXY_SWITCHES.some((name) => arg === `--${name}` || arg.startsWith(`--${name}=`))),
    ];
  }

  #quitOrClose(): Promise<void> {
    return this.quit ? this.quit() : keepAlive(this.runQuitHooks().then(() => this.closeAll()));
  }

  #stopping(): boolean {
    return this.state === 'quitting' || this.state === 'quit';
  }

  /** Runs the quit hooks together, as Electron asks every window to close at once; resolves when all are done, with whether none refused. */
  async runQuitHooks(): Promise<boolean> {
    const answers = await Promise.all([...this.quitHooks].map(async (hook) => hook()));
    return !answers.includes(false);
  }

  /** After the quit hooks: writes what is left (close hooks) and closes every browser. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.closeHooks].map((hook) => hook()));
    await Promise.all([...this.hosts].map((host) => host.close()));
  }

  /**
   * - beforeExit (the script is done): close every Chrome gracefully.
   * - SIGINT/SIGTERM/SIGHUP: the same, then exit as the signal would have.
   * - exit (process.exit, uncaught exception): SIGTERM, the only thing
   *   that cannot wait; Chrome then shuts down cleanly by itself, and it
   *   also exits when its debugging pipe closes with us.
   */
  #installProcessHooks(): void {
    if (this.#hooksInstalled) return;
    this.#hooksInstalled = true;
    process.on('beforeExit', () => {
      // quit() keeps the event loop alive until every Chrome has closed, and runs once.
      if (this.hosts.size && !this.#stopping()) void this.#quitOrClose();
    });
    process.on('exit', () => {
      for (const host of this.hosts) host.terminateSync();
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        const codes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
        const force = setTimeout(() => process.exit(codes[signal]), 10_000);
        void this.#quitOrClose().finally(() => {
          clearTimeout(force);
          process.exit(codes[signal]);
        });
      });
    }
  }
}

export const runtime = new Runtime();

import { EventEmitter } from 'node:events';
import { isAbsolute } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { ElectronEvent, TypedEmitter } from './events.js';
import { appPackage, defaultAppName, defaultPath, systemLocale } from './internal/app-paths.js';
import { keepAlive } from './internal/keep-alive.js';
import { runtime } from './internal/runtime.js';
import { parseEndpoints, type BrowserEndpoint } from './internal/remote-pool.js';
import { loginDemandChanged, type AuthenticationResponseDetails, type AuthInfo, type LoginCallback } from './internal/login.js';
import type { WebContents } from './web-contents.js';
import type { Session } from './session.js';
import type { BrowserWindow } from './browser-window.js';

export interface ChildProcessGoneDetails {
  type: 'Browser';
  reason: 'crashed' | 'killed' | 'clean-exit' | 'abnormal-exit';
  exitCode: number;
  name: string;
}

/** Electron's ProcessMetric, for the Chrome processes we started. */
export interface ProcessMetric {
  pid: number;
  type: 'Browser';
  name: string;
  /** The profile directory this Chrome runs on. */
  serviceName: string;
}

export interface AppEvents {
  /** Emitted once, when the main Chrome is up and sessions can be used. */
  ready: [];
  /** Emitted before windows close at quit; `event.preventDefault()` cancels the quit. */
  'before-quit': [event: ElectronEvent];
  /** Emitted when windows are closed and Chrome is about to stop; `event.preventDefault()` cancels. */
  'will-quit': [event: ElectronEvent];
  /** Emitted when every Chrome has stopped. */
  quit: [event: ElectronEvent, exitCode: number];
  /** Emitted synchronously when a new Session is created (the Session is the only argument). */
  'session-created': [session: Session];
  /** Emitted when a Chrome we run exits or crashes on its own. */
  'child-process-gone': [event: ElectronEvent, details: ChildProcessGoneDetails];
  /** A browser of `setBrowserEndpoints` went away (or could not be reached); its partitions start over elsewhere at their next call. */
  'remote-browser-lost': [event: ElectronEvent, details: { endpoint: string; reason: string }];
  /** A WebContents was made (a window's page, a page's popup). */
  'web-contents-created': [event: ElectronEvent, webContents: WebContents];
  /** A BrowserWindow was made (also for a page's popup). */
  'browser-window-created': [event: ElectronEvent, window: BrowserWindow];
  /** HTTP authentication asked for (server or proxy); `event.preventDefault()` and `callback(username, password)` answer it. */
  login: [event: ElectronEvent, webContents: WebContents | null, details: AuthenticationResponseDetails, authInfo: AuthInfo, callback: LoginCallback];
}

/**
 * Electron's `app`: lifecycle, paths and switches.
 *
 * Electron parity: the app becomes ready when `whenReady()` is first called
 * (or a 'ready' listener is added): that starts the main Chrome. `quit()`
 * stops every Chrome gracefully but does not end the Node process; Node ends
 * when the script has nothing more to do.
 */
export class App extends TypedEmitter<AppEvents> {
  readonly commandLine = runtime.commandLine;
  readonly #paths = new Map<string, string>();
  #name: string | undefined;
  #ready: Promise<void> | undefined;
  #quitting: Promise<void> | undefined;

  constructor() {
    super();
    EventEmitter.prototype.on.call(this, 'newListener', (event: string | symbol) => {
      if (event === 'ready') queueMicrotask(() => void this.whenReady().catch(() => undefined));
      if (event === 'login') queueMicrotask(loginDemandChanged);
    });
    EventEmitter.prototype.on.call(this, 'removeListener', (event: string | symbol) => {
      if (event === 'login') queueMicrotask(loginDemandChanged);
    });
    runtime.onHostCrash = (gone) => {
      const exit = gone.exit;
      const reason = exit?.signal === 'SIGKILL' ? 'killed' : exit?.code === 0 ? 'clean-exit' : exit?.signal ? 'crashed' : 'abnormal-exit';
      this.emit('child-process-gone', new ElectronEvent(), {
        type: 'Browser',
        reason,
        exitCode: exit?.code ?? -1,
        name: 'Chrome',
      });
    };
    // A signal or the script's end: no window may keep the app (and its Chromes) alive.
    runtime.quit = () => this.#quit(true);
    runtime.onRemoteLost = (endpoint, reason) => this.emit('remote-browser-lost', new ElectronEvent(), { endpoint, reason });
  }

  /** Resolves when the app is ready (the main Chrome started). */
  whenReady(): Promise<void> {
    this.#ready ??= keepAlive(this.#start());
    return this.#ready;
  }

  isReady(): boolean {
    return runtime.state === 'ready';
  }

  get name(): string {
    return this.getName();
  }
  set name(value: string) {
    this.setName(value);
  }

  getName(): string {
    this.#name ??= defaultAppName();
    return this.#name;
  }

  setName(name: string): void {
    this.#name = String(name);
  }

  /** The app's version: its package.json's (the nearest above the main script), else chrome-session's. */
  getVersion(): string {
    return appPackage()?.version ?? ownVersion();
  }

  /** The app's folder: where its package.json is (else the working directory). */
  getAppPath(): string {
    return appPackage()?.dir ?? process.cwd();
  }

  /** Never packaged: the app runs from its sources, as under `electron .`. */
  get isPackaged(): boolean {
    return false;
  }

  /** The locale Chrome's pages get (`navigator.language`, from the environment's, as Chromium's l10n takes it). */
  getLocale(): string {
    return systemLocale();
  }

  getSystemLocale(): string {
    return systemLocale();
  }

  getPreferredSystemLanguages(): string[] {
    return [systemLocale()];
  }

  /** The two-letter country of the system's locale (`US` for `en-US`), empty when it names none. */
  getLocaleCountryCode(): string {
    return new Intl.Locale(systemLocale()).region ?? '';
  }

  /** A special directory or file by name (`userData`, `sessionData`, `temp`, `downloads`, ...). */
  getPath(name: string): string {
    const set = this.#paths.get(name);
    if (set) return set;
    const path = defaultPath(name, this.getName(), (other) => this.getPath(other));
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }

  /** Overrides a path (created if missing). `sessionData` must be set before ready to move the profile. */
  setPath(name: string, path: string): void {
    if (typeof path !== 'string' || !isAbsolute(path)) throw new TypeError('Path must be absolute');
    if (defaultPath(name, this.getName(), (other) => this.getPath(other)) === undefined) {
      throw new Error(`Failed to set path`);
    }
    mkdirSync(path, { recursive: true });
    this.#paths.set(name, path);
  }

  /**
   * Quits: 'before-quit', every window is asked to close, 'will-quit', every Chrome stops, 'quit'.
   * As in Electron, a window that prevents its 'close' cancels the quit (the windows that closed stay closed).
   */
  quit(): Promise<void> {
    return this.#quit(false);
  }

  /**
   * One entry per Chrome this app runs (the main one and each persistent
   * partition's). Electron parity: only the browser processes, not their
   * renderers, and no CPU or memory figures yet.
   */
  getAppMetrics(): ProcessMetric[] {
    return [...runtime.hosts].flatMap((host) =>
      host.process ? [{ pid: host.process.pid, type: 'Browser' as const, name: 'Chrome', serviceName: host.process.userDataDir }] : [],
    );
  }

  /**
   * Ours, not Electron's: run sessions on browsers elsewhere, reached over CDP, instead of a local
   * main Chrome (`ws://`/`wss://` browser URLs, or `http(s)://host:port` resolved through
   * `/json/version`; a Selenium Grid 4 (or chromedriver) URL gets a WebDriver session of its own and
   * we connect to its `se:cdp` address; `{ url, headers }` for a gateway that wants credentials, sent
   * with the discovery, WebDriver calls and the WebSocket upgrade; `{ url, capabilities }` for Grid
   * capabilities; also `CHROME_SESSION_ENDPOINTS`, comma separated). Before the app is ready.
   * In-memory partitions go to the least loaded endpoint; the default session is the first's default
   * context; `persist:` partitions still run local Chromes. `app.quit()` leaves those browsers running
   * (and deletes the WebDriver sessions we made).
   */
  setBrowserEndpoints(endpoints: Array<string | BrowserEndpoint>): void {
    if (this.#ready) throw new Error('setBrowserEndpoints() must be called before the app is ready');
    runtime.endpoints = parseEndpoints(endpoints);
  }

  /** Stops every Chrome at once (no events) and exits Node with `exitCode`. */
  exit(exitCode = 0): void {
    for (const host of runtime.hosts) host.process?.kill();
    process.exit(exitCode);
  }

  async #start(): Promise<void> {
    runtime.state = 'starting';
    runtime.mainProfile = this.getPath('sessionData');
    const fromEnv = process.env.CHROME_SESSION_ENDPOINTS?.split(',').map((endpoint) => endpoint.trim()).filter(Boolean);
    if (!runtime.endpoints && fromEnv?.length) runtime.endpoints = fromEnv.map((url) => ({ url }));
    await runtime.mainHost();
    runtime.state = 'ready';
    this.emit('ready');
  }

  #quit(force: boolean): Promise<void> {
    if (this.#quitting) return this.#quitting;
    const beforeQuit = new ElectronEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return Promise.resolve();
    this.#quitting = keepAlive(this.#stop(force)).finally(() => {
      this.#quitting = undefined;
    });
    return this.#quitting;
  }

  async #stop(force: boolean): Promise<void> {
    // Without force (app.quit()), a window that stays or a prevented 'will-quit' keeps the app running, as in Electron.
    const allClosed = await runtime.runQuitHooks();
    if (!allClosed && !force) return;
    const willQuit = new ElectronEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented && !force) return;
    runtime.state = 'quitting';
    await runtime.closeAll();
    runtime.state = 'quit';
    this.emit('quit', new ElectronEvent(), 0);
  }
}

export const app = new App();

function ownVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

import type { CdpSession } from '../protocol/cdp-session.js';
import type { Protocol as Cdp } from '../protocol/cdp-types.js';
import { applyTargetSettings } from './internal/target-settings.js';
import { SessionProxy } from './internal/session-proxy.js';
import { CertificateVerifier, type CertificateVerifyProc } from './internal/certificate-verifier.js';
import type { ProxyConfig } from './internal/proxy-settings.js';
import { Cookies, kClearing } from './cookies.js';
import { debug } from '../protocol/debug.js';
import { ElectronEvent, listenerWatch, TypedEmitter } from './events.js';
import type { SessionEvents } from './session-events.js';
import { VirtualDevices } from './virtual-devices.js';
import { NetLog } from './net-log.js';
import { ServiceWorkers } from './service-workers.js';
import { Extensions } from './extensions.js';
import { DeviceBroker } from './internal/device-broker.js';
import { pageOf } from './internal/request-interceptor.js';
import type { WebContents } from './web-contents.js';
import { SessionDownloads, type InterruptedDownloadOptions } from './internal/downloads.js';
import { checkDownloadURL, checkInterruptedDownload } from './internal/download-support.js';
import { NetworkEmulation, type NetworkEmulationOptions } from './internal/network-emulation.js';
import { Preloads, type PreloadScript } from './internal/preloads.js';
import { nullOrFunction, PermissionBroker, type DisplayMediaRequestHandler, type PermissionCheckHandler, type PermissionRequestHandler } from './internal/permissions.js';
import { resolveHost, type ResolveHostOptions, type ResolvedHost } from './internal/resolve-host.js';
import { kDeviceBroker, kDownloadURL, kWithPage } from './internal/symbols.js';
import { PreconnectWatch } from './internal/preconnect-watch.js';
import { ExternalOpen } from './internal/external-open.js';
import { CacheEstimate } from './internal/cache-estimate.js';
import { app } from './app.js';
import { PagePool } from './internal/page-pool.js';
import { callBack, settle } from './internal/callbacks.js';
import { keepAlive } from './internal/keep-alive.js';
import { clearCache, clearStorageData, getCacheSize, type ClearStorageDataOptions } from './internal/storage.js';
import { checkClearDataOptions, clearData, type ClearDataOptions } from './internal/clear-data.js';
import { registerBackend, type ContextRef, type SessionBackend } from './internal/session-backend.js';
import { acquireContext } from './internal/session-context.js';
import { RequestInterceptor } from './internal/request-interceptor.js';
import { fetchInSession, SessionFetcher } from './internal/session-fetch.js';
import { Protocol } from './protocol.js';
import { WebRequest } from './web-request.js';
import { webContentsOfTarget } from './web-contents.js';

/** Where a session lives: the main Chrome's default context, a new context in it, or its own Chrome; `name` is how errors call it. */
export type SessionKind =
  | { type: 'default'; storagePath: string; name: string }
  | { type: 'memory'; name: string }
  | { type: 'profile'; storagePath: string; name: string };

// Sessions come from `session.fromPartition()`/`fromPath()` only, as in Electron.
export const kCreateSession = Symbol('createSession');

export interface DownloadURLOptions {
  headers?: Record<string, string>;
}

/**
 * A browsing session: cookies, cache, storage and settings, isolated from
 * every other session.
 *
 * Electron parity: the default session is the main Chrome's default browser
 * context (profile in `sessionData`); an in-memory partition is a new browser
 * context in the main Chrome (incognito-like, nothing written to disk); a
 * `persist:` partition or a `fromPath()` session runs its own Chrome on its
 * own profile directory, started on first use.
 */
export class Session extends TypedEmitter<SessionEvents> {
  /** The directory this session keeps its data in, or `null` for an in-memory session. */
  readonly storagePath: string | null;
  readonly cookies: Cookies;
  /** Listeners on this session's requests, as they go through Chrome's network stack. */
  readonly webRequest: WebRequest;
  /** Handlers that serve this session's requests for a scheme. */
  readonly protocol: Protocol;
  /** Records the session's network activity to a HAR file. */
  readonly netLog = new NetLog(() => this.#getBackend());
  /** The session's service workers. */
  readonly serviceWorkers = new ServiceWorkers();
  /** Unpacked extensions, in persistent sessions. */
  readonly extensions = new Extensions(() => this.#getBackend(), () => this.isPersistent(), this as never);
  readonly #kind: SessionKind;
  readonly #cache: boolean;
  #backend: Promise<SessionBackend> | undefined;
  #interceptor: RequestInterceptor | undefined;
  #fetcher: SessionFetcher | undefined;
  #downloads: SessionDownloads | undefined;
  #downloadPath: string | undefined;
  readonly #emulation = new NetworkEmulation();
  readonly #proxy = new SessionProxy();
  readonly #permissions = new PermissionBroker(webContentsOfTarget);
  readonly #preloads = new Preloads(() => this.#settingsVersion++);
  readonly #certificates = new CertificateVerifier();
  readonly #cacheEstimate = new CacheEstimate();
  readonly #external = new ExternalOpen({ handled: (scheme) => this.protocol.isProtocolHandled(scheme), ask: (id, details) => this.#permissions.requestFor(id, 'openExternal', details) });
  readonly #hints = new PreconnectWatch(() => this.listenerCount('preconnect') > 0, (url, credentials) => this.emit('preconnect', new ElectronEvent(), url, credentials));
  /** Virtual devices for this session's pages (`navigator.hid`, `navigator.serial`, `navigator.usb`, `navigator.bluetooth`). */
  readonly devices = new VirtualDevices();
  readonly #deviceBroker = new DeviceBroker({
    devices: this.devices,
    emit: (event, ...args) => this.emit(event as keyof SessionEvents, ...(args as never)),
    listenerCount: (event) => this.listenerCount(event),
    check: (webContents, permission, origin, details) => this.#permissions.checkDevice(webContents, permission, origin, details),
    webContentsOf: (targetId) => webContentsOfTarget(pageOf(this.#context?.targets.get(targetId)) ?? targetId),
  });
  #context: ContextRef | undefined;
  /** The Chrome of the backend once it started (#context still names the old one while a new one starts). */
  #startedHost: SessionBackend['host'] | undefined;
  #userAgent: string | undefined;
  #acceptLanguages: string | undefined;
  #defaultUserAgent: string;
  /** Bumped by every settings change, so spare pages made before it are not used. */
  #settingsVersion = 0;

  constructor(token: symbol, kind: SessionKind, options: { cache: boolean; defaultUserAgent: string }) {
    if (token !== kCreateSession) throw new TypeError("Session objects cannot be created with 'new'");
    super();
    this.#kind = kind;
    this.#cache = options.cache;
    this.#defaultUserAgent = options.defaultUserAgent;
    this.storagePath = kind.type === 'memory' ? null : kind.storagePath;
    const backend = (): Promise<SessionBackend> => this.#getBackend();
    registerBackend(this, backend);
    this.cookies = new Cookies(backend, this.storagePath, () => this.#context);
    // A change reaches live targets at once: their Fetch.enable is queued before any later command.
    const changed = (): void => void this.#interceptor?.update().catch(() => undefined);
    this.webRequest = new WebRequest(changed);
    this.protocol = new Protocol(changed);
  }

  /** Whether this session keeps its data on disk. */
  isPersistent(): boolean {
    return this.#kind.type !== 'memory';
  }

  /** The absolute path where this session's data is kept, or `null` for an in-memory session. */
  getStoragePath(): string | null {
    return this.storagePath;
  }

  /** The user agent this session's pages send. */
  getUserAgent(): string {
    return this.#userAgent ?? this.#defaultUserAgent;
  }

  /** Overrides the user agent (and `Accept-Language`, e.g. `'en-US,fr,de'`) for pages opened from now on, as in Electron. */
  setUserAgent(userAgent: string, acceptLanguages?: string): void {
    if (typeof userAgent !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    this.#userAgent = userAgent;
    this.#acceptLanguages = acceptLanguages;
    this.#settingsVersion++;
  }

  /**
   * Clears web storage: `storages` (`cookies`, `filesystem`, `indexdb`, `localstorage`, `shadercache`, `websql`,
   * `serviceworkers`, `cachestorage`; all when omitted), for `origin` only when given. With a callback (1.x), calls it.
   */
  clearStorageData(options?: ClearStorageDataOptions): Promise<void>;
  clearStorageData(options: ClearStorageDataOptions, callback: (error: Error | null) => void): void;
  clearStorageData(callback: (error: Error | null) => void): void;
  clearStorageData(
    options?: ClearStorageDataOptions | ((error: Error | null) => void),
    callback?: (error: Error | null) => void,
  ): Promise<void> | undefined {
    if (typeof options === 'function') return settle(keepAlive(this.#clearStorageData({})), options);
    return settle(keepAlive(this.#clearStorageData(options ?? {})), callback);
  }

  /** The bytes of this session's HTTP cache: its files on disk, or in memory an estimate (see cache-estimate.ts). With a callback (1.x), calls `callback(size)`. */
  getCacheSize(): Promise<number>;
  getCacheSize(callback: (size: number) => void): void;
  getCacheSize(callback?: (size: number) => void): Promise<number> | undefined {
    return callBack(this.storagePath === null ? this.#cacheEstimate.size() : getCacheSize(this.storagePath), callback);
  }

  /** Empties this session's HTTP cache (other sessions keep theirs). With a callback (1.x), calls `callback()`. */
  clearCache(): Promise<void>;
  clearCache(callback: () => void): void;
  clearCache(callback?: () => void): Promise<void> | undefined {
    return callBack(keepAlive(this.#getBackend().then((backend) => clearCache(backend).then(() => this.#cacheEstimate.clear()))), callback);
  }

  /** Clears the session's data by Electron's data types (all when omitted), for `origins` only or all but `excludeOrigins`. */
  clearData(options?: ClearDataOptions): Promise<void> {
    checkClearDataOptions(options);
    const cache = !options?.dataTypes || options.dataTypes.includes('cache');
    return keepAlive(this.#getBackend().then((backend) => this.cookies[kClearing](() => clearData(backend, options))).then(() => void (cache && this.#cacheEstimate.clear())));
  }

  async #clearStorageData(options: ClearStorageDataOptions): Promise<void> {
    const backend = await this.#getBackend();
    return this.cookies[kClearing](() => clearStorageData(backend, options));
  }

  /** Decides the permission requests of the session's pages: `handler(webContents, permission, callback(granted), details)`; `null` grants all (Electron's default). */
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.#permissions.setRequestHandler(nullOrFunction(handler));
  }

  /** Answers the permission checks of the session's pages: `handler(webContents, permission, requestingOrigin, details)` returns a boolean; `null` passes all. */
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.#permissions.setCheckHandler(nullOrFunction(handler));
  }

  /** @internal The device handlers' setters live in session-devices.ts. */
  get [kDeviceBroker](): DeviceBroker {
    return this.#deviceBroker;
  }

  /** Registers a preload script (`frame` or `service-worker`); returns its id. See Preloads for what runs where. */
  registerPreloadScript(script: { type: 'frame' | 'service-worker'; id?: string; filePath: string }): string {
    return this.#preloads.register(script);
  }
  unregisterPreloadScript(id: string): void {
    this.#preloads.unregister(id);
  }
  getPreloadScripts(): PreloadScript[] {
    return this.#preloads.list();
  }
  /** @deprecated Electron 35: frame preloads by absolute path. */
  setPreloads(paths: string[]): void {
    this.#preloads.setLegacy(Array.isArray(paths) ? paths.map(String) : []);
  }
  /** @deprecated */
  getPreloads(): string[] {
    return this.#preloads.getLegacy();
  }

  /** Answers `getDisplayMedia`: `handler(request, callback({video: {id, name}}))` (a stream named after the source); `{}` denies. */
  setDisplayMediaRequestHandler(handler: DisplayMediaRequestHandler | null, _options?: { useSystemPicker?: boolean }): void {
    this.#permissions.setDisplayMediaHandler(nullOrFunction(handler));
  }

  /**
   * Emulates a network on every page and worker of the session, open or new:
   * `offline`, `latency` (ms), `downloadThroughput`/`uploadThroughput` (bytes/s; 0 = unthrottled).
   */
  enableNetworkEmulation(options: NetworkEmulationOptions): void {
    if (typeof options !== 'object' || options === null) throw new TypeError('Error processing argument at index 0, conversion failure');
    void keepAlive(this.#emulation.set(options, this.#context?.targets)).catch((error: unknown) => debug.ignored('network emulation: %s', error));
  }

  /** Ends the network emulation. */
  disableNetworkEmulation(): void {
    void keepAlive(this.#emulation.set(undefined, this.#context?.targets)).catch((error: unknown) => debug.ignored('network emulation: %s', error));
  }

  /**
   * Sets the session's proxy (Electron's ProxyConfig: `mode`, `pacScript`, `proxyRules`,
   * `proxyBypassRules`), at any time: new connections of open and new pages follow it.
   * With a callback (the 1.x form), calls `callback()` when done.
   */
  setProxy(config: ProxyConfig): Promise<void>;
  setProxy(config: ProxyConfig, callback: () => void): void;
  setProxy(config: ProxyConfig, callback?: () => void): Promise<void> | undefined {
    return callBack(new Promise<void>((resolve) => resolve(this.#proxy.set(config))), callback);
  }

  /** The proxies Chrome would use for `url`, in PAC format (`PROXY host:port;DIRECT`); `''` when unknown. */
  resolveProxy(url: string): Promise<string>;
  resolveProxy(url: string, callback: (proxy: string) => void): void;
  resolveProxy(url: string, callback?: (proxy: string) => void): Promise<string> | undefined {
    if (typeof url !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    return callBack(this.#proxy.resolve(url), callback);
  }

  /** Fetches the PAC script again (`pac_script` and `auto_detect` modes). */
  forceReloadProxyConfig(): Promise<void> {
    return this.#proxy.forceReload();
  }

  /** Drops the session's connections, in flight and pooled: requests in flight fail, the next ones connect anew. */
  closeAllConnections(): Promise<void> {
    this.#proxy.closeAllConnections();
    return Promise.resolve();
  }

  /** Decides the certificates Chrome finds fault with: `proc(request, callback(0 | -2 | -3 | netError))`, once per host. */
  setCertificateVerifyProc(proc: CertificateVerifyProc | null): void {
    void keepAlive(this.#certificates.set(nullOrFunction(proc))).catch((error: unknown) => debug.ignored('certificate verify proc: %s', error));
  }

  /** Resolves `host` as the session's Chrome would (the system resolver, after `--host-resolver-rules`): Electron's ResolvedHost. */
  resolveHost(host: string, options?: ResolveHostOptions): Promise<ResolvedHost> {
    return resolveHost(host, options, app.commandLine.getSwitchValue('host-resolver-rules'));
  }

  /** The folder downloads go to when no save path is set in 'will-download' (default: the app's `downloads` path). */
  setDownloadPath(path: string): void {
    if (typeof path !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    this.#downloadPath = path;
  }

  /** Downloads `url` in this session: 'will-download' follows, with no WebContents. */
  downloadURL(url: string, options: DownloadURLOptions = {}): void {
    this[kDownloadURL](url, options, null);
  }

  /** @internal For `webContents.downloadURL()` too. */
  [kDownloadURL](url: string, options: DownloadURLOptions, webContents: WebContents | null): void {
    const headers = checkDownloadURL(url, options);
    const work = this.#getBackend().then(() => this.#downloads!.downloadURL(url, headers, webContents));
    void keepAlive(work).catch((error: unknown) => debug.ignored('downloadURL %s: %s', url, error));
  }

  /** An `interrupted` item for a download stopped earlier ('will-download' follows); `resume()` asks for the rest with a range request. */
  createInterruptedDownload(options: InterruptedDownloadOptions): void {
    const offset = checkInterruptedDownload(options);
    const work = this.#getBackend().then(() => this.#downloads!.createInterrupted({ ...options, offset }));
    void keepAlive(work).catch((error: unknown) => debug.ignored('createInterruptedDownload: %s', error));
  }

  /** @internal Runs `work` in a page of this session standing in `origin` (the fetch helper). */
  async [kWithPage]<T>(origin: string, work: (client: CdpSession, targetId: string) => Promise<T>): Promise<T> {
    return (await this.#getBackend(), this.#fetcher!).withPage(origin, work);
  }

  /** Fetches `input` as the session's Chrome would (cookies, cache, user agent, webRequest, protocol handlers). */
  fetch(input: string | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response> {
    const ready = async (): Promise<SessionFetcher> => (await this.#getBackend(), this.#fetcher!);
    return keepAlive(fetchInSession(new Request(input, init), { bypassHandlers: Boolean(init?.bypassCustomProtocolHandlers), protocol: this.protocol, ready }));
  }

  #getBackend(): Promise<SessionBackend> {
    // A started backend's closed connection is a Chrome gone, even before its gone-listeners run; one
    // still starting must not be started a second time (two Chromes, one profile).
    if (this.#backend && this.#startedHost?.connection.closed) this.#backend = undefined;
    if (!this.#backend) {
      const starting = this.#startBackend();
      this.#backend = starting;
      this.#startedHost = undefined;
      // If Chrome goes away (or never came), the next call starts it again.
      const reset = (): void => {
        if (this.#backend === starting) this.#backend = undefined;
      };
      starting.then((backend) => {
        if (this.#backend === starting) this.#startedHost = backend.host;
        backend.host.onGone(reset);
      }, reset);
    }
    return this.#backend;
  }

  async #startBackend(): Promise<SessionBackend> {
    const { context, seed } = await acquireContext(this.#kind, this.#proxy.contextOptions());
    this.#defaultUserAgent = context.host.userAgent;
    this.#proxy.attach(context.forwarder);
    // Everything the session sets on a target while it is paused (the interceptor adds its own hook).
    const parts = [this.#permissions, this.#preloads, this.#certificates, this.#deviceBroker, this.serviceWorkers, this.#hints, this.#external, this.#cacheEstimate];
    const configure = (client: CdpSession, info: Cdp.Target.TargetInfo): Promise<unknown> =>
      Promise.all([
        applyTargetSettings(client, info, { userAgent: this.getUserAgent(), acceptLanguages: this.#acceptLanguages, cache: this.#cache }),
        this.#emulation.apply(client, info),
        ...parts.map((part) => part.configure(client, info)),
      ]);
    context.targets.addAttachHook(configure);
    this.#permissions.attach(context);
    for (const part of [this.#preloads, this.#certificates, this.serviceWorkers, this.#cacheEstimate]) part.attach(context.targets);
    this.#context = context;
    const interceptor = new RequestInterceptor({
      webRequest: this.webRequest,
      schemes: this.protocol,
      targets: context.targets,
      webContentsOf: webContentsOfTarget,
    });
    this.#interceptor = interceptor;
    const fetcher = new SessionFetcher(context, interceptor);
    this.#fetcher = fetcher;
    const downloads = new SessionDownloads({
      backend: context,
      fetcher,
      interceptor,
      emitWillDownload: (item, webContents) => {
        const event = new ElectronEvent();
        this.emit('will-download', event, item, webContents);
        return event.defaultPrevented;
      },
      defaultDirectory: () => this.#downloadPath ?? app.getPath('downloads'),
      webContentsOf: webContentsOfTarget,
      ...listenerWatch(this as never, 'will-download'),
    });
    this.#downloads = downloads;
    context.host.onGone(() => {
      downloads.dispose();
      if (this.#downloads === downloads) this.#downloads = undefined;
      interceptor.dispose();
      if (this.#interceptor === interceptor) this.#interceptor = undefined;
      if (this.#fetcher === fetcher) this.#fetcher = undefined;
    });
    await downloads.start();
    // Targets that were running before this session owned the context (a spare page) get its settings now.
    await context.targets.forEachClient((client, record) =>
      Promise.all([configure(client, record.targetInfo), interceptor.configure(client, record.targetInfo)]),
    );
    return { ...context, pages: new PagePool(context, () => this.#settingsVersion, seed) };
  }
}

import { sendMayFail, type CdpSession } from '../protocol/cdp-session.js';
import { debug } from '../protocol/debug.js';
import type { Protocol } from '../protocol/cdp-types.js';
import { TargetManagerEvent, type TargetManager, type TargetRecord } from '../protocol/target-manager.js';
import { ElectronEvent, TypedEmitter } from './events.js';
import { keepAlive } from './internal/keep-alive.js';
import { frameDisposed } from './internal/renderer-alive.js';
import { abandonedError, navigateAndWait, parseExtraHeaders, referrerParams } from './internal/navigation.js';
import { loadError, netError } from './internal/net-errors.js';
import { backendOf, type SessionBackend } from './internal/session-backend.js';
import { TITLE_BINDING } from './page/title-observer.js';
import { useNetwork } from './internal/network-domain.js';
import type { Session } from './session.js';
import { kDownloadURL } from './internal/symbols.js';
import { app } from './app.js';
import { loginDemandChanged, setLoginHandling, type AuthenticationResponseDetails, type AuthInfo, type LoginCallback } from './internal/login.js';
import { EventEmitter } from 'node:events';
import { CONSOLE_LEVELS, type ConsoleMessageDetails, type LoadURLOptions, type RenderProcessGoneDetails, type WebContentsEvents } from './web-contents-events.js';
import { explainNetError } from './internal/net-failures.js';
import { closeTarget } from './internal/target-close.js';
import { evaluateForElectron } from './internal/evaluate.js';
import { FrameTree, type WebFrameMain } from './web-frame-main.js';
import { frameIds, NavigationEvents, navigationStatus } from './web-contents-navigation.js';
import { NavigationHistory } from './web-contents-history.js';
import { answerGuard } from './internal/dialogs.js';
import { redirectDemandChanged, setRedirectGate } from './internal/redirect-gate.js';

export type { ConsoleMessageDetails, LoadURLOptions, RenderProcessGoneDetails, WebContentsEvents } from './web-contents-events.js';

const all = new Map<number, WebContents>();
const byTarget = new Map<string, WebContents>();

/** The WebContents showing this page target, if any. */
export function webContentsOfTarget(targetId: string): WebContents | undefined {
  return byTarget.get(targetId);
}
let lastId = 0;
export const kCreateWebContents = Symbol('createWebContents');
const kNavigation = Symbol('navigation');

export interface WebContentsOptions {
  width: number;
  height: number;
  /** A page that already runs (a window a page opened) to show instead of a new one. */
  adopt?: TargetRecord;
}

/** Run for each WebContents once its page is known, with its context's targets (window-open.ts watches popups so). */
export const pageWatchers = new Set<(contents: WebContents, targets: TargetManager) => void>();
/** Resolves once the WebContents hears its page's events (rejects if it could not get a page). */
export const kContentsReady = Symbol('contentsReady');

type WebContentsState = 'creating' | 'live' | 'destroyed';

/**
 * The page of a window: one Chrome page target in its session's browser context.
 *
 * Electron parity: events and methods are Electron's; frame process and
 * routing ids are those of its WebFrameMain objects (see there).
 */
export class WebContents extends TypedEmitter<WebContentsEvents> {
  readonly id: number;
  readonly session: Session;
  readonly #ready: Promise<TargetRecord>;
  #state: WebContentsState = 'creating';
  #record: TargetRecord | undefined;
  #url = '';
  #title = '';
  /** Page events are emitted in arrival order through this chain (did-navigate awaits its status). */
  #pageEvents: Promise<void> = Promise.resolve();
  #loading = false;
  #crashed = false;
  /** Told when the renderer crashes (a load in progress then ends). */
  readonly #crashWatchers = new Set<() => void>();
  #unsubscribe: Array<() => void> = [];
  #frames: FrameTree | undefined;
  #navigation: NavigationEvents | undefined;
  /** The page's session history (Electron's `navigationHistory`). */
  readonly navigationHistory = new NavigationHistory(() => this.#page().then((record) => record.client));

  constructor(token: symbol, session: Session, options: WebContentsOptions) {
    if (token !== kCreateWebContents) throw new TypeError('WebContents cannot be created with new; open a BrowserWindow');
    super();
    this.id = ++lastId;
    this.session = session;
    all.set(this.id, this);
    for (const change of ['newListener', 'removeListener']) {
      EventEmitter.prototype.on.call(this, change, (event: string | symbol) => {
        if (event === 'login') queueMicrotask(loginDemandChanged);
        if (REDIRECT_EVENTS.includes(String(event))) queueMicrotask(() => void redirectDemandChanged());
      });
    }
    this.#ready = keepAlive(this.#create(options));
    // A failed creation is reported by the next call that needs the page.
    this.#ready.catch(() => this.#didDestroy());
  }

  /** Loads `url`; resolves on 'did-finish-load', rejects like Electron on 'did-fail-load'. */
  loadURL(url: string, options: LoadURLOptions = {}): Promise<void> {
    if (typeof url !== 'string') {
      return Promise.reject(new TypeError('Error processing argument at index 0, conversion failure'));
    }
    return keepAlive(this.#loadURL(url, options));
  }

  /** Evaluates `code` in the page; resolves with the (awaited) result, rejects with what it threw. */
  executeJavaScript(code: string, userGesture = false): Promise<unknown> {
    return keepAlive(this.#executeJavaScript(String(code), userGesture));
  }

  [kContentsReady](): Promise<unknown> {
    return this.#ready;
  }

  getURL(): string {
    return this.#url;
  }

  /** The page's top frame (null until the page exists and after it closed). */
  get mainFrame(): WebFrameMain | null {
    return this.#frames?.frame(this.#frames.mainFrameId) ?? null;
  }

  /** Downloads `url` in this page's session: its 'will-download' names this WebContents. */
  downloadURL(url: string, options: { headers?: Record<string, string> } = {}): void {
    if (this.#state === 'destroyed') throw new Error('Object has been destroyed');
    this.session[kDownloadURL](url, options, this);
  }

  getTitle(): string {
    return this.#title || this.#url;
  }

  isLoading(): boolean {
    return this.#loading;
  }

  isDestroyed(): boolean {
    return this.#state === 'destroyed';
  }

  /** Closes the page (running its unload handlers); resolves once it is gone. */
  close(): Promise<void> {
    return keepAlive(this.#close());
  }

  /** Closes the page at once. */
  destroy(): void {
    void this.#close();
  }

  /** Ends the page's renderer (`Page.crash`): 'render-process-gone' follows; the next `loadURL()` starts a new one. */
  forcefullyCrashRenderer(): void {
    void this.#page().then(({ client }) => sendMayFail(client, 'Page.crash'));
  }
  /** Whether the renderer crashed and nothing was loaded since. */
  isCrashed(): boolean {
    return this.#crashed;
  }

  async #create(options: WebContentsOptions): Promise<TargetRecord> {
    const backend = await backendOf(this.session);
    const record = options.adopt ?? (await backend.pages.take({ width: options.width, height: options.height }));
    if (record.status === 'gone') throw new Error('The page closed while it was being created');
    this.#record = record;
    byTarget.set(record.targetId, this);
    const frames = new FrameTree(record, backend.targets, {
      created: (frame) => void this.emit('frame-created', new ElectronEvent(), { frame }),
      started: (frameId, url, type) => this.#navigation?.started(frameId, url, type),
      navigated: (frameId) => this.#navigation?.navigated(frameId),
      stopped: (frameId) => this.#navigation?.stopped(frameId),
    });
    this.#frames = frames;
    this.#navigation = new NavigationEvents(this, frames, (work) => this.#inOrder(work));
    this.#subscribe(record.client, backend);
    this.#state = 'live';
    for (const watch of pageWatchers) watch(this, backend.targets);
    // Listeners added before the page was ours: its documents' responses are paused from its first load.
    if (listensForRedirects(this)) await redirectDemandChanged();
    return record;
  }

  #subscribe(client: CdpSession, backend: SessionBackend): void {
    const mainFrameId = this.#record!.targetId;
    const targets = backend.targets;
    this.#unsubscribe.push(
      client.subscribe('Page.frameStartedLoading', ({ frameId }) => this.#inOrder(() => this.#onFrameStartedLoading(frameId === mainFrameId))),
      client.subscribe('Page.frameNavigated', ({ frame }) => {
        if (frame.id !== mainFrameId) return;
        // The status is read only for someone to hear it (one evaluation fewer per load otherwise).
        const heard = this.listenerCount('did-navigate') + this.listenerCount('did-frame-navigate') > 0;
        const status = heard ? navigationStatus(client) : Promise.resolve<[number, string]>([-1, '']);
        const read = Promise.all([status, this.navigationHistory.refresh(client, frame.url)]);
        this.#inOrder(async () => this.#onFrameNavigated(frame, (await read)[0]));
      }),
      client.subscribe('Page.navigatedWithinDocument', (e) => {
        const read = this.navigationHistory.refresh(client, e.url);
        this.#inOrder(async () => {
          await read;
          this.#onNavigatedWithinDocument(e, mainFrameId);
        });
      }),
      client.subscribe('Page.domContentEventFired', () => this.#inOrder(() => void this.emit('dom-ready', new ElectronEvent()))),
      client.subscribe('Page.loadEventFired', () => this.#inOrder(() => this.#onLoadEventFired())),
      client.subscribe('Runtime.consoleAPICalled', (e) => this.#inOrder(() => this.#onConsoleAPICalled(e))),
      client.subscribe('Runtime.bindingCalled', ({ name, payload }) => {
        if (name === TITLE_BINDING) this.#inOrder(() => this.#onTitle(payload));
      }),
      client.subscribe('Page.javascriptDialogOpening', ({ type }) => {
        if (type !== 'beforeunload') return;
        // As in Electron, no dialog: the page is left only when a listener prevents its keeping it.
        const event = new ElectronEvent();
        this.emit('will-prevent-unload', event);
        void sendMayFail(client, 'Page.handleJavaScriptDialog', { accept: event.defaultPrevented });
      }),
      targets.subscribe(TargetManagerEvent.Crashed, (record, event) => {
        if (record === this.#record) this.#onCrashed(event);
      }),
      targets.subscribe(TargetManagerEvent.Detached, (record) => {
        if (record !== this.#record) return;
        // The whole browser went away (killed, crashed): the window's renderer went with it.
        const lost = backend.host.lostDetails();
        if (lost) this.emit('render-process-gone', new ElectronEvent(), lost);
        this.#didDestroy();
      }),
    );
  }
  async #loadURL(url: string, options: LoadURLOptions): Promise<void> {
    const { client, targetId } = await this.#page();
    try {
      new URL(url);
    } catch {
      this.#fail(-300, 'ERR_INVALID_URL', url);
      throw loadError(-300, 'ERR_INVALID_URL', url);
    }
    if (options.userAgent) await client.send('Network.setUserAgentOverride', { userAgent: options.userAgent });
    const headers = parseExtraHeaders(options.extraHeaders);
    // Extra headers need the Network domain, for this navigation only.
    let release: (() => void) | undefined;
    if (Object.keys(headers).length) {
      release = await useNetwork(client);
      await client.send('Network.setExtraHTTPHeaders', { headers });
    }
    const onCrash = (crashed: () => void) => (this.#crashWatchers.add(crashed), () => void this.#crashWatchers.delete(crashed));
    const outcome = await navigateAndWait(client, targetId, { url, ...referrerParams(options.httpReferrer) }, onCrash).finally(() => {
      if (release) void sendMayFail(client, 'Network.setExtraHTTPHeaders', { headers: {} }).then(release);
    });
    // Resolve after the events of this load (did-navigate ... did-finish-load) were emitted.
    await this.#pageEvents;
    if (outcome.kind === 'abandoned') throw abandonedError(outcome, url); // no event of its own, as in Electron
    if (outcome.kind === 'failed') {
      this.session.protocol.explainRefusedDocument(url);
      const { errorCode, errorDescription } = netError(explainNetError(outcome.errorText, url));
      this.emit('did-fail-provisional-load', new ElectronEvent(), errorCode, errorDescription, url, true, ...frameIds(this.mainFrame));
      this.#fail(errorCode, errorDescription, url);
      throw loadError(errorCode, errorDescription, url);
    }
  }

  async #executeJavaScript(code: string, userGesture: boolean): Promise<unknown> {
    const { client } = await this.#page();
    // Electron's answer while the frame's renderer is gone (Chrome would hold the call until a new one runs).
    if (this.#crashed) throw frameDisposed();
    return evaluateForElectron(client, code, userGesture);
  }

  async #close(): Promise<void> {
    if (this.#state === 'destroyed') return;
    const record = await this.#ready.catch(() => undefined);
    if (!record || this.isDestroyed()) return;
    const backend = await backendOf(this.session);
    const gone = new Promise<void>((resolve) => this.once('destroyed', resolve));
    await closeTarget(backend.host.connection.root, record.client, record.targetId, gone, () => this.#didDestroy());
  }

  async #page(): Promise<TargetRecord> {
    if (this.#state === 'destroyed') throw new Error('Object has been destroyed');
    return this.#ready;
  }

  #fail(errorCode: number, errorDescription: string, url: string): void {
    this.emit('did-fail-load', new ElectronEvent(), errorCode, errorDescription, url, true, ...frameIds(this.mainFrame));
  }

  #onFrameStartedLoading(isMainFrame: boolean): void {
    if (!isMainFrame || this.#loading) return;
    this.#loading = true;
    this.#crashed = false;
    this.emit('did-start-loading', new ElectronEvent());
  }

  /** Runs page-event work in arrival order, after whatever came before it settled. */
  #inOrder(work: () => void | Promise<void>): void {
    this.#pageEvents = this.#pageEvents.then(work).catch((error: unknown) => {
      debug.ignored('webContents %d event handling failed: %s', this.id, error);
    });
  }

  #onFrameNavigated(frame: Protocol.Page.Frame, [code, text]: [number, string]): void {
    this.#url = frame.url + (frame.urlFragment ?? '');
    this.emit('did-frame-navigate', new ElectronEvent(), this.#url, code, text, true, ...frameIds(this.mainFrame));
    this.emit('did-navigate', new ElectronEvent(), this.#url, code, text);
  }

  #onNavigatedWithinDocument(event: Protocol.Page.NavigatedWithinDocumentEvent, mainFrameId: string): void {
    const isMainFrame = event.frameId === mainFrameId;
    if (isMainFrame) this.#url = event.url;
    this.#navigation?.inPage(event.frameId, event.url);
    this.emit('did-navigate-in-page', new ElectronEvent(), event.url, isMainFrame, ...frameIds(this.#frames?.frame(event.frameId)));
  }

  /** The page's navigation events, while it lives (its documents ask before they navigate or redirect). */
  get [kNavigation](): NavigationEvents | undefined {
    return this.#state === 'live' ? this.#navigation : undefined;
  }

  #onLoadEventFired(): void {
    this.emit('did-frame-finish-load', new ElectronEvent(), true, ...frameIds(this.mainFrame));
    this.emit('did-finish-load', new ElectronEvent());
    if (this.#loading) {
      this.#loading = false;
      this.emit('did-stop-loading', new ElectronEvent());
    }
  }

  #onCrashed(event: Protocol.Target.TargetCrashedEvent): void {
    this.#crashed = true;
    for (const watcher of this.#crashWatchers) watcher();
    const reason = event.status === 'killed' ? 'killed' : event.status === 'oom' ? 'oom' : 'crashed';
    this.emit('render-process-gone', new ElectronEvent(), { reason, exitCode: event.errorCode });
  }

  #onTitle(title: string): void {
    if (title === this.#title) return;
    this.#title = title;
    this.emit('page-title-updated', new ElectronEvent(), title, title !== '');
  }

  #onConsoleAPICalled(event: Protocol.Runtime.ConsoleAPICalledEvent): void {
    const [number, level] = CONSOLE_LEVELS[event.type] ?? [1, 'info'];
    const message = event.args
      .map((arg) => (arg.value !== undefined ? String(arg.value) : (arg.description ?? arg.unserializableValue ?? '')))
      .join(' ');
    const frame = event.stackTrace?.callFrames[0];
    const details: ConsoleMessageDetails = { level, message, lineNumber: (frame?.lineNumber ?? -1) + 1, sourceId: frame?.url ?? '' };
    const electronEvent = Object.assign(new ElectronEvent(), details);
    this.emit('console-message', electronEvent, number, message, details.lineNumber, details.sourceId);
  }

  #didDestroy(): void {
    if (this.#state === 'destroyed') return;
    this.#state = 'destroyed';
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    all.delete(this.id);
    this.#frames?.destroy();
    if (this.#record) byTarget.delete(this.#record.targetId);
    this.emit('destroyed');
  }
}

answerGuard('navigate', (pageTargetId, frameId, asked) => byTarget.get(pageTargetId)?.[kNavigation]?.willNavigate(frameId, String(asked.url)) ?? false);

const REDIRECT_EVENTS = ['will-redirect', 'did-redirect-navigation'];
const listensForRedirects = (contents: WebContents | undefined): boolean => REDIRECT_EVENTS.some((name) => (contents?.listenerCount(name) ?? 0) > 0);
setRedirectGate({
  wanted: (pageTargetId) => listensForRedirects(byTarget.get(pageTargetId)),
  willRedirect: (pageTargetId, frameId, url) => byTarget.get(pageTargetId)?.[kNavigation]?.willRedirect(frameId, url) ?? false,
  redirected: (pageTargetId, frameId, url) => byTarget.get(pageTargetId)?.[kNavigation]?.redirected(frameId, url),
});

// 'login' goes to the page's WebContents, then to the app, with one event: a preventDefault on either takes it.
setLoginHandling({
  wanted: () => app.listenerCount('login') > 0 || [...all.values()].some((contents) => contents.listenerCount('login') > 0),
  emit(pageTargetId, details, authInfo, callback) {
    const contents = pageTargetId ? byTarget.get(pageTargetId) : undefined;
    const event = new ElectronEvent();
    contents?.emit('login', event, details, authInfo, callback);
    app.emit('login', event, contents ?? null, details, authInfo, callback);
    return event.defaultPrevented;
  },
});

/** Electron's `webContents` module. */
export const webContents = {
  /** Every live WebContents, in creation order. */
  getAllWebContents(): WebContents[] {
    return [...all.values()];
  },
  /** The WebContents with this id, or undefined. */
  fromId(id: number): WebContents | undefined {
    return all.get(id);
  },
  /** The focused window's WebContents (see BrowserWindow.focus), or null. */
  getFocusedWebContents(): WebContents | null {
    return [...all.values()].find((contents) => contents.isFocused()) ?? null;
  },
};

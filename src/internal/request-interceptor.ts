import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { TargetClosedError } from '../../protocol/errors.js';
import type { TargetManager, TargetRecord } from '../../protocol/target-manager.js';
import type { WebContents } from '../web-contents.js';
import { filterMatches, type CompiledFilter, type WebRequest, type WebRequestEventName, type WebRequestListeners } from '../web-request.js';
import { useNetwork } from './network-domain.js';
import { answerAuthChallenge } from './auth-challenge.js';
import { answerHelperDownload, type HelperDownload } from './helper-download.js';
import { callBlocking, callObserver, listenerTimeout, reportListenerError } from './listener-calls.js';
import { loginHandling, onLoginDemandChanged } from './login.js';
import { DOCUMENT_RESPONSES, gateRedirect, onRedirectDemandChanged, redirectGate } from './redirect-gate.js';
import { frameIdOf, RequestObserver, type TrackedRequest } from './request-observer.js';
import { frameById } from '../web-frame-main.js';
import {
  headerEntries,
  parseStatusLine,
  referrerOf,
  requestHeadersOf,
  resourceTypeOf,
  responseHeadersOf,
  TO_CDP,
  uploadDataOf,
  type RequestDetailsBase,
} from './request-details.js';

/** What serves handled schemes (`protocol.handle('https', …)`, `protocol.handle('app', …)`); see protocol.ts. */
export interface SchemeResponder {
  /** Schemes whose requests Chrome must pause for a handler. */
  pausedSchemes(): string[];
  /** Fulfils or fails the paused request when a handler serves its scheme; false when none does. */
  serve(client: CdpSession, event: Protocol.Fetch.RequestPausedEvent, headers: Protocol.Fetch.HeaderEntry[] | undefined): Promise<boolean>;
}

/** Types that make requests of their own. */
const NETWORK_TARGETS = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);
const OBSERVED: WebRequestEventName[] = ['onSendHeaders', 'onResponseStarted', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred'];
/** Where a fetch helper page goes to stand in a URL's origin; we answer it, the network never sees it. */
export const HELPER_PATH = '/.well-known/chrome-session-fetch';

interface ClientState {
  fetchKey: string;
  releaseNetwork: (() => void) | undefined;
}

/**
 * A session's request interception on Chrome's network stack. Each target of
 * the session gets, while it is paused, `Fetch.enable` with patterns derived
 * from the listeners' filters (only requests some filter can match are
 * paused; the HTTP cache stays on), and the Network domain only while an
 * observe-only event has a listener. Every paused request is answered exactly
 * once: a listener that throws or does not call back in time is reported and
 * the request continues unchanged.
 */
export class RequestInterceptor {
  readonly #webRequest: WebRequest;
  readonly #schemes: SchemeResponder;
  readonly #targets: TargetManager;
  readonly #webContentsOf: (pageTargetId: string) => WebContents | undefined;
  readonly #observer: RequestObserver;
  readonly #clients = new WeakMap<CdpSession, ClientState>();
  readonly #helpers = new WeakSet<CdpSession>();
  /** URLs a helper page downloads (downloadURL), with the headers to add and who hears of the response. */
  readonly #helperDownloads = new WeakMap<CdpSession, Map<string, HelperDownload>>();
  readonly #stopWatching: Array<() => void>;

  constructor(options: {
    webRequest: WebRequest;
    schemes: SchemeResponder;
    targets: TargetManager;
    webContentsOf: (pageTargetId: string) => WebContents | undefined;
  }) {
    this.#webRequest = options.webRequest;
    this.#schemes = options.schemes;
    this.#targets = options.targets;
    this.#webContentsOf = options.webContentsOf;
    this.#observer = new RequestObserver({
      webRequest: this.#webRequest,
      pausedForSendHeaders: (url, type) => this.#requestStageMatches(url, type),
      base: (tracked) => this.#base(tracked),
      report: (error) => reportListenerError(error),
    });
    this.#targets.addAttachHook((client, info) => this.configure(client, info));
    // A 'login' listener anywhere means any request may be challenged: Chrome must then ask us.
    // A page listening for redirects has its documents' responses paused, to be seen before Chrome follows them.
    this.#stopWatching = [onLoginDemandChanged(() => void this.update().catch(() => undefined)), onRedirectDemandChanged(() => this.update())];
  }

  /** Stops following 'login' listeners (the session's Chrome is gone). */
  dispose(): void {
    for (const stop of this.#stopWatching) stop();
  }

  /** Brings every live target in line with the current listeners and handlers. */
  async update(): Promise<void> {
    await this.#targets.forEachClient((client, record) => this.configure(client, record.targetInfo));
  }

  /** Makes a page a fetch helper (see session-fetch.ts): its navigations to HELPER_PATH get an empty document. */
  async adoptHelper(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    this.#helpers.add(client);
    await this.configure(client, info);
  }

  /** Makes a helper page's navigation to `url` a download (none: stops): see HelperDownload. */
  async setHelperDownload(client: CdpSession, info: Protocol.Target.TargetInfo, url: string, download: HelperDownload | undefined): Promise<void> {
    const byUrl = this.#helperDownloads.get(client) ?? new Map<string, HelperDownload>();
    this.#helperDownloads.set(client, byUrl);
    if (download) byUrl.set(url, download);
    else {
      // With the URLs it redirected to.
      const gone = byUrl.get(url);
      for (const [key, value] of byUrl) if (value === gone) byUrl.delete(key);
    }
    await this.configure(client, info);
  }

  /** Sets a target up while it is paused (attach hook), or again after a change. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (!NETWORK_TARGETS.has(info.type)) return;
    let state = this.#clients.get(client);
    if (!state) {
      state = { fetchKey: '', releaseNetwork: undefined };
      this.#clients.set(client, state);
      client.on('Fetch.requestPaused', (event) => void this.#onPaused(client, info, event));
      client.on('Fetch.authRequired', (event) => {
        const page = pageOf(this.#targets.get(info.targetId));
        answerAuthChallenge(client, event, page, listenerTimeout(), this.#helpers.has(client)).catch(() => undefined);
      });
      this.#observer.watch(client, info);
    }
    const work: Promise<unknown>[] = [];
    const patterns = this.#patterns();
    if (this.#helpers.has(client)) {
      patterns.push({ urlPattern: `*${HELPER_PATH}`, requestStage: 'Request' });
      for (const url of this.#helperDownloads.get(client)?.keys() ?? []) {
        const urlPattern = url.replace(/[*?\\]/g, '\\$&');
        patterns.push({ urlPattern, requestStage: 'Request' }, { urlPattern, requestStage: 'Response' });
      }
    }
    const page = this.#helpers.has(client) ? undefined : pageOf(this.#targets.get(info.targetId));
    if ((info.type === 'page' || info.type === 'iframe') && page && redirectGate().wanted(page)) patterns.push(DOCUMENT_RESPONSES);
    const handleAuthRequests = loginHandling().wanted();
    if (handleAuthRequests) patterns.push({ urlPattern: '*', requestStage: 'Request' });
    const key = JSON.stringify(patterns);
    if (key !== state.fetchKey) {
      const wasOn = state.fetchKey !== '' && state.fetchKey !== '[]';
      state.fetchKey = key;
      if (patterns.length) work.push(client.send('Fetch.enable', { patterns, handleAuthRequests }));
      else if (wasOn) work.push(sendMayFail(client, 'Fetch.disable'));
    }
    const observe = OBSERVED.some((event) => this.#webRequest.registration(event));
    if (observe && !state.releaseNetwork) {
      const slot = state;
      slot.releaseNetwork = () => undefined;
      const enabling = useNetwork(client).then((release) => (slot.releaseNetwork = release));
      // A paused service worker answers Network.enable only once it runs: waiting would hold it.
      if (info.type === 'service_worker') enabling.catch(() => undefined);
      else work.push(enabling);
    } else if (!observe && state.releaseNetwork) {
      state.releaseNetwork();
      state.releaseNetwork = undefined;
    }
    await Promise.all(work);
  }

  /** Fetch patterns: request stage for onBeforeRequest/onBeforeSendHeaders and handled schemes, response stage for onHeadersReceived. */
  #patterns(): Protocol.Fetch.RequestPattern[] {
    const patterns = new Map<string, Protocol.Fetch.RequestPattern>();
    const add = (filter: CompiledFilter, requestStage: Protocol.Fetch.RequestStage): void => {
      const types = filter.types ? [...new Set([...filter.types].flatMap((t) => (t === 'other' ? [] : TO_CDP[t])))] : [undefined];
      for (const { glob } of filter.include) {
        for (const resourceType of types) {
          const pattern: Protocol.Fetch.RequestPattern = { urlPattern: glob, requestStage };
          if (resourceType) pattern.resourceType = resourceType;
          patterns.set(JSON.stringify(pattern), pattern);
        }
      }
    };
    for (const event of ['onBeforeRequest', 'onBeforeSendHeaders'] as const) {
      const registration = this.#webRequest.registration(event);
      if (registration) add(registration.filter, 'Request');
    }
    for (const scheme of this.#schemes.pausedSchemes()) {
      const pattern: Protocol.Fetch.RequestPattern = { urlPattern: `${scheme}:*`, requestStage: 'Request' };
      patterns.set(JSON.stringify(pattern), pattern);
    }
    const headers = this.#webRequest.registration('onHeadersReceived');
    if (headers) add(headers.filter, 'Response');
    return [...patterns.values()];
  }

  /** Whether a request of this URL and type is paused at the request stage (so onSendHeaders is sent from there). */
  #requestStageMatches(url: string, type: ReturnType<typeof resourceTypeOf>): boolean {
    for (const event of ['onBeforeRequest', 'onBeforeSendHeaders'] as const) {
      const registration = this.#webRequest.registration(event);
      if (registration && filterMatches(registration.filter, url, type)) return true;
    }
    const scheme = url.slice(0, url.indexOf(':'));
    return this.#schemes.pausedSchemes().includes(scheme);
  }

  async #onPaused(client: CdpSession, info: Protocol.Target.TargetInfo, event: Protocol.Fetch.RequestPausedEvent): Promise<void> {
    try {
      const responseStage = event.responseStatusCode !== undefined || event.responseErrorReason !== undefined;
      await (responseStage ? this.#responseStage(client, info, event) : this.#requestStage(client, info, event));
    } catch (error) {
      // A target that closed, or interception switched off meanwhile (Chrome then lets its paused requests go).
      if (error instanceof TargetClosedError || /Fetch domain is not enabled|Invalid InterceptionId/.test(String(error))) return;
      // Whatever went wrong, the request must not stay paused.
      reportListenerError(error);
      await sendMayFail(client, 'Fetch.continueRequest', { requestId: event.requestId });
    }
  }

  async #requestStage(client: CdpSession, info: Protocol.Target.TargetInfo, event: Protocol.Fetch.RequestPausedEvent): Promise<void> {
    const { request, requestId } = event;
    if (this.#helpers.has(client) && new URL(request.url).pathname === HELPER_PATH && event.resourceType === 'Document') {
      // An empty document whose icon is inline, so the helper makes no request of its own.
      const body = Buffer.from('<!doctype html><link rel="icon" href="data:,">').toString('base64');
      await client.send('Fetch.fulfillRequest', { requestId, responseCode: 200, responseHeaders: [{ name: 'Content-Type', value: 'text/html' }], body });
      return;
    }
    const tracked = this.#track(event, info);
    const base = this.#base(tracked);
    const uploadData = uploadDataOf(request);
    const before = this.#matching('onBeforeRequest', tracked);
    if (before) {
      const answer = await callBlocking('onBeforeRequest', before, uploadData ? { ...base, uploadData } : base);
      if (answer.cancel) return this.#block(client, requestId);
      if (typeof answer.redirectURL === 'string' && answer.redirectURL) return this.#redirect(client, event, answer.redirectURL);
    }
    let headers = requestHeadersOf(request.headers);
    let entries: Protocol.Fetch.HeaderEntry[] | undefined;
    const sendHeaders = this.#matching('onBeforeSendHeaders', tracked);
    if (sendHeaders) {
      const details = { ...base, requestHeaders: { ...headers }, ...(uploadData ? { uploadData } : {}) };
      const answer = await callBlocking('onBeforeSendHeaders', sendHeaders, details);
      if (answer.cancel) return this.#block(client, requestId);
      if (answer.requestHeaders && typeof answer.requestHeaders === 'object') {
        entries = headerEntries(answer.requestHeaders);
        headers = Object.fromEntries(entries.map((h) => [h.name, h.value]));
      }
    }
    const extra = this.#helperDownloads.get(client)?.get(request.url)?.headers;
    if (extra) {
      entries = headerEntries({ ...headers, ...extra });
      headers = Object.fromEntries(entries.map((h) => [h.name, h.value]));
    }
    const sent = this.#matching('onSendHeaders', tracked);
    if (sent) callObserver('onSendHeaders', () => sent({ ...base, requestHeaders: headers }));
    if (await this.#schemes.serve(client, event, entries)) return;
    await client.send('Fetch.continueRequest', entries ? { requestId, headers: entries } : { requestId });
  }

  async #responseStage(client: CdpSession, info: Protocol.Target.TargetInfo, event: Protocol.Fetch.RequestPausedEvent): Promise<void> {
    const { requestId } = event;
    const download = this.#helperDownloads.get(client)?.get(event.request.url);
    if (download && event.responseStatusCode !== undefined) {
      // Followed: the next URL's response is the one to save (its request gets the same headers).
      const follow = async (next: string): Promise<void> => {
        this.#helperDownloads.get(client)?.set(next, download);
        await this.configure(client, info);
      };
      return answerHelperDownload(client, event, download, follow);
    }
    if (await gateRedirect(client, pageOf(this.#targets.get(info.targetId)), event)) return;
    const tracked = this.#track(event, info);
    const listener = this.#matching('onHeadersReceived', tracked);
    if (!listener || event.responseStatusCode === undefined) {
      await client.send('Fetch.continueRequest', { requestId });
      return;
    }
    const statusCode = event.responseStatusCode;
    const statusText = event.responseStatusText ?? '';
    const details = {
      ...this.#base(tracked),
      statusLine: `HTTP/1.1 ${statusCode}${statusText ? ` ${statusText}` : ''}`,
      statusCode,
      responseHeaders: responseHeadersOf(event.responseHeaders),
    };
    const answer = await callBlocking('onHeadersReceived', listener, details);
    if (answer.cancel) return this.#block(client, requestId);
    if (!answer.responseHeaders || typeof answer.responseHeaders !== 'object') {
      await client.send('Fetch.continueRequest', { requestId });
      return;
    }
    // A status line counts only together with new headers, as in Electron.
    const [responseCode, responsePhrase] = (typeof answer.statusLine === 'string' && parseStatusLine(answer.statusLine)) || [statusCode, statusText];
    await client.send('Fetch.continueResponse', {
      requestId,
      responseCode,
      responsePhrase,
      responseHeaders: headerEntries(answer.responseHeaders),
    });
  }

  /** The paused request's stable record (one per network id, across stages and redirects). */
  #track(event: Protocol.Fetch.RequestPausedEvent, info: Protocol.Target.TargetInfo): TrackedRequest {
    const { request } = event;
    return this.#observer.track(event.networkId ?? event.requestId, {
      url: request.url,
      method: request.method,
      type: resourceTypeOf(event.resourceType, event.frameId, info),
      targetId: info.targetId,
      frameId: frameIdOf(event.frameId, info),
      referrer: referrerOf(request.headers),
    });
  }

  #matching<E extends WebRequestEventName>(event: E, tracked: TrackedRequest): WebRequestListeners[E] | undefined {
    const registration = this.#webRequest.registration(event);
    return registration && filterMatches(registration.filter, tracked.url, tracked.type) ? registration.listener : undefined;
  }

  #base(tracked: TrackedRequest): RequestDetailsBase {
    const base: RequestDetailsBase = {
      id: tracked.id,
      url: tracked.url,
      method: tracked.method,
      frame: frameById(tracked.frameId),
      resourceType: tracked.type,
      referrer: tracked.referrer,
      timestamp: Date.now(),
    };
    const webContents = this.#webContentsOf(pageOf(this.#targets.get(tracked.targetId)) ?? tracked.targetId);
    if (webContents) {
      base.webContentsId = webContents.id;
      base.webContents = webContents;
    }
    return base;
  }

  async #block(client: CdpSession, requestId: string): Promise<void> {
    await client.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
  }

  /** Electron's internal redirect: a 307 `Internal Redirect`, allowed for CORS requests from their origin. */
  async #redirect(client: CdpSession, event: Protocol.Fetch.RequestPausedEvent, location: string): Promise<void> {
    const responseHeaders: Protocol.Fetch.HeaderEntry[] = [{ name: 'Location', value: location }];
    const origin = event.request.headers.Origin ?? event.request.headers.origin;
    if (origin) {
      responseHeaders.push({ name: 'Access-Control-Allow-Origin', value: String(origin) }, { name: 'Access-Control-Allow-Credentials', value: 'true' });
    }
    responseHeaders.push({ name: 'Non-Authoritative-Reason', value: 'WebRequest API' });
    await client.send('Fetch.fulfillRequest', { requestId: event.requestId, responseCode: 307, responsePhrase: 'Internal Redirect', responseHeaders, body: '' });
  }
}

/** The page a target belongs to (itself, or the page above an iframe or worker). */
export function pageOf(record: TargetRecord | undefined): string | undefined {
  let current = record;
  while (current && current.targetInfo.type !== 'page') current = current.parent;
  return current?.targetId;
}

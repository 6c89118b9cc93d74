import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { WebRequest, WebRequestEventName, WebRequestListeners } from '../web-request.js';
import { filterMatches } from '../web-request.js';
import {
  referrerOf,
  requestHeadersOf,
  resourceTypeOf,
  responseHeadersOf,
  statusLineOf,
  type OnResponseStartedDetails,
  type RequestDetailsBase,
  type ResourceType,
} from './request-details.js';
import { explainNetError } from './net-failures.js';

export interface TrackedRequest {
  readonly id: number;
  url: string;
  method: string;
  type: ResourceType;
  targetId: string;
  /** The frame that made it (requests of pages and iframes). */
  frameId?: string;
  referrer: string;
  response?: Omit<OnResponseStartedDetails, keyof RequestDetailsBase>;
}

type TrackedFields = Omit<TrackedRequest, 'id' | 'response'>;

/** Requests whose end we never see (Network off) are forgotten oldest first beyond this. */
const MAX_TRACKED = 5_000;
// One numbering for every session, as Electron's request ids are per process.
let lastId = 0;

/**
 * The observe-only webRequest events (onSendHeaders, onResponseStarted,
 * onBeforeRedirect, onCompleted, onErrorOccurred), from Network events:
 * nothing is paused for them. Also keeps each request's stable numeric id.
 */
export class RequestObserver {
  readonly #requests = new Map<string, TrackedRequest>();
  readonly #webRequest: WebRequest;
  readonly #pausedForSendHeaders: (url: string, type: ResourceType) => boolean;
  readonly #base: (tracked: TrackedRequest) => RequestDetailsBase;
  readonly #report: (error: unknown) => void;

  constructor(options: {
    webRequest: WebRequest;
    /** True when the request stage of interception reports onSendHeaders for this request. */
    pausedForSendHeaders: (url: string, type: ResourceType) => boolean;
    base: (tracked: TrackedRequest) => RequestDetailsBase;
    report: (error: unknown) => void;
  }) {
    this.#webRequest = options.webRequest;
    this.#pausedForSendHeaders = options.pausedForSendHeaders;
    this.#base = options.base;
    this.#report = options.report;
  }

  /** The request with this network id, updated with `fields` (a new one gets the next id). */
  track(networkId: string, fields: TrackedFields): TrackedRequest {
    let tracked = this.#requests.get(networkId);
    if (tracked) return Object.assign(tracked, fields);
    tracked = { id: ++lastId, ...fields };
    this.#requests.set(networkId, tracked);
    if (this.#requests.size > MAX_TRACKED) this.#requests.delete(this.#requests.keys().next().value!);
    return tracked;
  }

  /** Listens to a target's Network events (they flow only while the domain is on). */
  watch(client: CdpSession, info: Protocol.Target.TargetInfo): void {
    client.on('Network.requestWillBeSent', (event) => this.#willBeSent(event, info));
    client.on('Network.responseReceived', (event) => this.#responseReceived(event));
    client.on('Network.loadingFinished', (event) => this.#finished(event.requestId));
    client.on('Network.loadingFailed', (event) => this.#failed(event));
  }

  #willBeSent(event: Protocol.Network.RequestWillBeSentEvent, info: Protocol.Target.TargetInfo): void {
    const previous = this.#requests.get(event.requestId);
    if (event.redirectResponse && previous) {
      const response = responseOf(event.redirectResponse);
      this.#emit('onBeforeRedirect', previous, (base) => ({ ...base, url: event.redirectResponse!.url, ...response, redirectURL: event.request.url }));
    }
    const tracked = this.track(event.requestId, {
      url: event.request.url,
      method: event.request.method,
      type: resourceTypeOf(event.type, event.frameId, info),
      targetId: info.targetId,
      frameId: frameIdOf(event.frameId, info),
      referrer: referrerOf(event.request.headers),
    });
    delete tracked.response;
    if (this.#pausedForSendHeaders(tracked.url, tracked.type)) return;
    this.#emit('onSendHeaders', tracked, (base) => ({ ...base, requestHeaders: requestHeadersOf(event.request.headers) }));
  }

  #responseReceived(event: Protocol.Network.ResponseReceivedEvent): void {
    const tracked = this.#requests.get(event.requestId);
    if (!tracked) return;
    tracked.response = responseOf(event.response);
    const response = tracked.response;
    this.#emit('onResponseStarted', tracked, (base) => ({ ...base, ...response }));
  }

  #finished(requestId: string): void {
    const tracked = this.#requests.get(requestId);
    if (!tracked) return;
    this.#requests.delete(requestId);
    const response = tracked.response ?? { statusCode: 200, statusLine: 'HTTP/1.1 200', responseHeaders: {}, fromCache: false };
    this.#emit('onCompleted', tracked, (base) => ({ ...base, ...response, error: 'net::OK' }));
  }

  #failed(event: Protocol.Network.LoadingFailedEvent): void {
    const tracked = this.#requests.get(event.requestId);
    if (!tracked) return;
    this.#requests.delete(event.requestId);
    // Chrome marks requests that DevTools interception failed ('.Inspector'); Electron's error is the plain one.
    const text = event.errorText.replace(/\.Inspector$/, '');
    const error = explainNetError(text.startsWith('net::') ? text : `net::${text}`, tracked.url);
    this.#emit('onErrorOccurred', tracked, (base) => ({ ...base, fromCache: tracked.response?.fromCache ?? false, error }));
  }

  #emit<E extends WebRequestEventName>(
    event: E,
    tracked: TrackedRequest,
    details: (base: RequestDetailsBase) => Parameters<WebRequestListeners[E]>[0],
  ): void {
    const registration = this.#webRequest.registration(event);
    if (!registration || !filterMatches(registration.filter, tracked.url, tracked.type)) return;
    try {
      (registration.listener as (details: unknown) => void)(details(this.#base(tracked)));
    } catch (error) {
      this.#report(new Error(`webRequest.${event} listener threw: ${String(error)}`, { cause: error }));
    }
  }
}

function responseOf(response: Protocol.Network.Response): NonNullable<TrackedRequest['response']> {
  const result: NonNullable<TrackedRequest['response']> = {
    statusCode: response.status,
    statusLine: statusLineOf(response.status, response.statusText, response.protocol),
    responseHeaders: responseHeadersOf(response.headers),
    fromCache: Boolean(response.fromDiskCache || response.fromPrefetchCache || response.fromServiceWorker),
  };
  if (response.remoteIPAddress) result.ip = response.remoteIPAddress.replace(/^\[(.*)\]$/, '$1');
  return result;
}

/** A request's frame, for those pages and iframes make (a worker's requests name its document's frame). */
export function frameIdOf(frameId: string | undefined, info: Protocol.Target.TargetInfo): string | undefined {
  return info.type === 'page' || info.type === 'iframe' ? frameId : undefined;
}

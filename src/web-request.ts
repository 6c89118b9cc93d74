import { parseMatchPattern, type MatchPattern } from './internal/match-pattern.js';
import type {
  BeforeRequestResponse,
  BeforeSendHeadersResponse,
  HeadersReceivedResponse,
  OnBeforeRedirectDetails,
  OnBeforeRequestDetails,
  OnBeforeSendHeadersDetails,
  OnCompletedDetails,
  OnErrorOccurredDetails,
  OnHeadersReceivedDetails,
  OnResponseStartedDetails,
  OnSendHeadersDetails,
  ResourceType,
} from './internal/request-details.js';

export type * from './internal/request-details.js';

export interface WebRequestFilter {
  /** Match patterns; `<all_urls>` for every request. */
  urls: string[];
  excludeUrls?: string[];
  types?: string[];
}

const TYPES = new Set(['mainFrame', 'subFrame', 'stylesheet', 'script', 'image', 'font', 'object', 'xhr', 'ping', 'cspReport', 'media', 'webSocket']);

/** A listener's filter, parsed: what interception needs to decide and to ask Chrome for. */
export interface CompiledFilter {
  readonly include: MatchPattern[];
  readonly exclude: MatchPattern[];
  readonly types: ReadonlySet<ResourceType> | undefined;
}

export function filterMatches(filter: CompiledFilter, url: string, type: ResourceType): boolean {
  if (filter.types && !filter.types.has(type)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return filter.include.some((p) => p.matches(parsed)) && !filter.exclude.some((p) => p.matches(parsed));
}

type Callback<R> = (response?: R) => void;
export interface WebRequestListeners {
  onBeforeRequest: (details: OnBeforeRequestDetails, callback: Callback<BeforeRequestResponse>) => void;
  onBeforeSendHeaders: (details: OnBeforeSendHeadersDetails, callback: Callback<BeforeSendHeadersResponse>) => void;
  onSendHeaders: (details: OnSendHeadersDetails) => void;
  onHeadersReceived: (details: OnHeadersReceivedDetails, callback: Callback<HeadersReceivedResponse>) => void;
  onResponseStarted: (details: OnResponseStartedDetails) => void;
  onBeforeRedirect: (details: OnBeforeRedirectDetails) => void;
  onCompleted: (details: OnCompletedDetails) => void;
  onErrorOccurred: (details: OnErrorOccurredDetails) => void;
}
export type WebRequestEventName = keyof WebRequestListeners;

export interface Registration<E extends WebRequestEventName = WebRequestEventName> {
  readonly filter: CompiledFilter;
  readonly listener: WebRequestListeners[E];
}

const ALL: CompiledFilter = { include: [parseMatchPattern('<all_urls>')], exclude: [], types: undefined };
let warnedEmptyUrls = false;

function compileFilter(filter: unknown): CompiledFilter {
  if (typeof filter !== 'object' || filter === null || !('urls' in filter)) {
    throw new TypeError("Parameter 'filter' must have property 'urls'.");
  }
  const { urls, excludeUrls, types } = filter as Partial<WebRequestFilter>;
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  let include = list(urls).map(parseMatchPattern);
  const exclude = list(excludeUrls).map(parseMatchPattern);
  if (include.length === 0) {
    include = ALL.include;
    if (!warnedEmptyUrls) {
      warnedEmptyUrls = true;
      process.emitWarning("The 'urls' array in WebRequestFilter is empty, which is deprecated. Please use '<all_urls>' to match all URLs.", 'DeprecationWarning');
    }
  }
  let typeSet: Set<ResourceType> | undefined;
  if (types !== undefined) {
    typeSet = new Set();
    for (const type of list(types)) {
      if (!TYPES.has(type)) throw new TypeError(`Invalid type ${type}`);
      typeSet.add(type as ResourceType);
    }
    if (typeSet.size === 0) typeSet = undefined;
  }
  return { include, exclude, types: typeSet };
}

/**
 * A session's `webRequest`: one listener per event (a new one replaces it,
 * `null` removes it), each with an optional filter. Listeners run on Chrome's
 * own requests for every target of the session, from a new page's first request.
 */
export class WebRequest {
  readonly #registrations = new Map<WebRequestEventName, Registration>();
  readonly #changed: () => void;

  /** @internal Made by its Session; `changed` tells the interceptor what it must now pause. */
  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** @internal The current listener of `event`, if any. */
  registration<E extends WebRequestEventName>(event: E): Registration<E> | undefined {
    return this.#registrations.get(event) as Registration<E> | undefined;
  }

  onBeforeRequest(...args: ListenerArgs<'onBeforeRequest'>): void {
    this.#set('onBeforeRequest', args);
  }
  onBeforeSendHeaders(...args: ListenerArgs<'onBeforeSendHeaders'>): void {
    this.#set('onBeforeSendHeaders', args);
  }
  onSendHeaders(...args: ListenerArgs<'onSendHeaders'>): void {
    this.#set('onSendHeaders', args);
  }
  onHeadersReceived(...args: ListenerArgs<'onHeadersReceived'>): void {
    this.#set('onHeadersReceived', args);
  }
  onResponseStarted(...args: ListenerArgs<'onResponseStarted'>): void {
    this.#set('onResponseStarted', args);
  }
  onBeforeRedirect(...args: ListenerArgs<'onBeforeRedirect'>): void {
    this.#set('onBeforeRedirect', args);
  }
  onCompleted(...args: ListenerArgs<'onCompleted'>): void {
    this.#set('onCompleted', args);
  }
  onErrorOccurred(...args: ListenerArgs<'onErrorOccurred'>): void {
    this.#set('onErrorOccurred', args);
  }

  #set(event: WebRequestEventName, args: unknown[]): void {
    const [filter, listener] = args.length < 2 ? [ALL, args[0]] : [compileFilter(args[0]), args[1]];
    if (listener === null) this.#registrations.delete(event);
    else if (typeof listener === 'function') this.#registrations.set(event, { filter, listener: listener as WebRequestListeners[typeof event] });
    else throw new TypeError('Must pass null or a Function');
    this.#changed();
  }
}

type ListenerArgs<E extends WebRequestEventName> =
  | [listener: WebRequestListeners[E] | null]
  | [filter: WebRequestFilter, listener: WebRequestListeners[E] | null];

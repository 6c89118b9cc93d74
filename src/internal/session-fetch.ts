import { readFile } from 'node:fs/promises';
import { asElectronFailure } from './unexpected-failures.js';
import { fileURLToPath } from 'node:url';
import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { TargetManagerEvent, type TargetRecord } from '../../protocol/target-manager.js';
import { navigateAndWait } from './navigation.js';
import { useNetwork } from './network-domain.js';
import { HELPER_PATH, type RequestInterceptor } from './request-interceptor.js';
import type { ContextRef } from './session-backend.js';
import { explainNetError } from './net-failures.js';
import { MAX_REDIRECTS, redirectHeaders, redirectMethod, redirectTarget } from './redirects.js';
import { bodyStream, pageFetch, type Body, type PageResult } from './fetch-body.js';
import { headerBlock, headerLines, setWire } from './fetch-wire.js';
export { wireOf, type Wire } from './fetch-wire.js';

/** Helper pages kept at once, and how long an unused one lives. */
const MAX_HELPERS = 4;
const IDLE_MS = 30_000;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

interface Seen {
  errorText?: string;
  response?: Protocol.Network.Response;
  /** The response's headers as received, Set-Cookie included (the page's fetch never sees it). */
  rawHeaders?: Protocol.Network.Headers;
  /** The header block as received (HTTP/1), in the server's order and case. */
  headersText?: string;
  /** Chrome said the raw headers come (they may come after the page has the response). */
  hasExtraInfo?: boolean;
}

interface Helper {
  readonly record: TargetRecord;
  readonly seen: Map<string, Seen>;
  /** Woken as something is seen of a URL. */
  readonly waiters: Map<string, Set<() => void>>;
  idle: NodeJS.Timeout | undefined;
  busy: number;
}

let lastAbortId = 0;

/**
 * `ses.fetch()` sent by the session's own Chrome: from a helper page that
 * stands in the URL's origin (its document is answered by our interception,
 * the network never sees it), so the request is same-origin there and the
 * session's cookies, cache, user agent, webRequest listeners and `http`/`https`
 * handlers all apply, as for Electron's net stack. Helper pages are no
 * WebContents; a few are kept per session, each closed after 30 s unused.
 *
 * Redirects are followed by `fetchInSession`, each hop from a helper of its
 * own origin. Limit of the page's fetch: forbidden request headers (Cookie,
 * Host, ...) are dropped.
 */
export class SessionFetcher {
  readonly #backend: ContextRef;
  readonly #interceptor: RequestInterceptor;
  readonly #helpers = new Map<string, Promise<Helper>>();
  /** The helpers that are open, by key (those of #helpers that opened). */
  readonly #opened = new Map<string, Helper>();
  /** By origin, the navigating helpers in use (their numbers). */
  readonly #navigating = new Map<string, Set<number>>();

  constructor(backend: ContextRef, interceptor: RequestInterceptor) {
    this.#backend = backend;
    this.#interceptor = interceptor;
    // A crashed helper answers nothing more (commands wait for a renderer that never comes): it is closed, the next fetch opens one.
    backend.targets.on(TargetManagerEvent.Crashed, (record) => {
      const crashed = [...this.#opened].find(([, helper]) => helper.record === record);
      if (crashed) void this.#close(...crashed);
    });
  }

  /** Resolves with the response's head; its body streams from the helper page, which is kept until the body ends. */
  async fetch(request: Request, signal: AbortSignal | undefined): Promise<Response> {
    const origin = new URL(request.url).origin;
    const body = request.body ? Buffer.from(await request.arrayBuffer()).toString('base64') : null;
    const helper = await this.#helper(origin, origin);
    helper.busy++;
    clearTimeout(helper.idle);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (--helper.busy === 0) this.#scheduleClose(origin, helper);
    };
    return this.#run(helper, request, body, signal, release);
  }

  /**
   * Runs `work` on the page standing in `origin`; keeps the page while it runs. Work that navigates the
   * page (a download) gets a page of its own, apart from the one whose documents hold fetches' bodies,
   * and none another navigating work is using: a second navigation would cancel the first.
   */
  withPage<T>(origin: string, work: (client: CdpSession, targetId: string) => Promise<T>, navigates = false): Promise<T> {
    const run = (key: string): Promise<T> => this.#withHelper(key, origin, (helper) => work(helper.record.client, helper.record.targetId));
    if (!navigates) return run(origin);
    const inUse = this.#navigating.get(origin) ?? new Set<number>();
    this.#navigating.set(origin, inUse);
    let slot = 0;
    while (inUse.has(slot)) slot++;
    inUse.add(slot);
    return run(`${origin} navigating ${slot}`).finally(() => {
      inUse.delete(slot);
      if (!inUse.size && this.#navigating.get(origin) === inUse) this.#navigating.delete(origin);
    });
  }

  async #withHelper<T>(key: string, origin: string, work: (helper: Helper) => Promise<T>): Promise<T> {
    const helper = await this.#helper(key, origin);
    helper.busy++;
    clearTimeout(helper.idle);
    try {
      return await work(helper);
    } finally {
      if (--helper.busy === 0) this.#scheduleClose(key, helper);
    }
  }

  async #run(helper: Helper, request: Request, body: string | null, signal: AbortSignal | undefined, release: () => void): Promise<Response> {
    const { client } = helper.record;
    const abortId = ++lastAbortId;
    const init = {
      method: request.method,
      headers: headerPairs(request.headers),
      body,
      // 'error' is told apart from other failures by fetching manually and looking.
      redirect: request.redirect === 'error' ? 'manual' : request.redirect,
      credentials: request.credentials,
      // Electron sends no Referer unless asked; the page's fetch takes only its own origin's.
      referrer: request.referrer === 'about:client' ? '' : request.referrer,
      cache: request.cache,
      referrerPolicy: request.referrerPolicy,
      mode: request.mode === 'navigate' ? 'cors' : request.mode,
    };
    // Only the abort is kept here: nothing the signal's listener holds may reach the body's stream.
    let abortBody: Body['abort'] | undefined;
    const onAbort = (): void => {
      void sendMayFail(client, 'Runtime.evaluate', { expression: `globalThis.__csAbort?.get(${abortId})?.abort()` });
      // A body being read breaks off at once, read or not.
      abortBody?.(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      release();
    };
    helper.seen.delete(request.url);
    try {
      const evaluation = client.send('Runtime.evaluate', {
        expression: `(${pageFetch.toString()})(${JSON.stringify(request.url)}, ${JSON.stringify(init)}, ${abortId})`,
        awaitPromise: true,
        returnByValue: true,
      });
      // After an abort nobody waits for it: its end (the helper closing, say) must not go unhandled.
      evaluation.catch(() => undefined);
      const aborted = new Promise<never>((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      aborted.catch(() => undefined);
      const { result } = await Promise.race([evaluation, aborted]);
      const head = result.value as PageResult;
      // The body reads from the page as it is consumed; an abort then breaks it off there.
      const failure = (pageError: string): Error =>
        signal?.aborted ? (signal.reason as Error) : new TypeError(explainNetError(helper.seen.get(request.url)?.errorText ?? `net::ERR_FAILED (${pageError})`, request.url));
      const streamed = head.streaming ? bodyStream(client, abortId, done, failure) : null;
      abortBody = streamed?.abort;
      if (!streamed) done();
      await rawHeadersOf(helper, request.url);
      if (signal?.aborted) {
        streamed?.abort(signal.reason);
        throw signal.reason;
      }
      return this.#toResponse(helper, request, head, streamed?.stream ?? null);
    } catch (error) {
      done();
      throw error;
    }
  }

  #toResponse(helper: Helper, request: Request, result: PageResult, body: ReadableStream<Uint8Array> | null): Response {
    const response = this.#responseOf(helper, request, result, body);
    const seen = helper.seen.get(request.url);
    const rawHeaders = (seen?.headersText && headerBlock(seen.headersText)) || (seen?.rawHeaders && headerLines(seen.rawHeaders));
    setWire(response, { rawHeaders: rawHeaders || undefined, protocol: seen?.response?.protocol });
    return response;
  }

  #responseOf(helper: Helper, request: Request, result: PageResult, body: ReadableStream<Uint8Array> | null): Response {
    if (result.error !== undefined) {
      const errorText = asElectronFailure(helper.record.client, request.url, helper.seen.get(request.url)?.errorText ?? 'net::ERR_FAILED');
      throw new Error(explainNetError(errorText.replace(/\.Inspector$/, ''), request.url));
    }
    if (result.type === 'opaqueredirect') {
      if (request.redirect === 'error') throw new TypeError("Attempted to redirect, but redirect policy was 'error'");
      const seen = helper.seen.get(request.url)?.response;
      const headers = new Headers();
      for (const [name, value] of headerLines(seen?.headers ?? {})) headers.append(name, value);
      return new Response(null, { status: seen?.status ?? 302, statusText: seen?.statusText ?? '', headers });
    }
    const status = result.status!;
    const nullBody = NULL_BODY_STATUS.has(status) || request.method === 'HEAD';
    if (nullBody && body) void body.cancel();
    return new Response(nullBody ? null : body, {
      status,
      statusText: result.statusText ?? '',
      headers: result.headers ?? [],
    });
  }

  /** The helper page of `key` standing in `origin`; past MAX_HELPERS, the oldest idle one makes room (none idle: one more). */
  async #helper(key: string, origin: string): Promise<Helper> {
    let helper = this.#helpers.get(key);
    if (!helper) {
      if (this.#helpers.size >= MAX_HELPERS) {
        const idle = [...this.#opened].find(([, open]) => open.busy === 0);
        if (idle) void this.#close(idle[0], idle[1]);
      }
      helper = this.#open(origin);
      this.#helpers.set(key, helper);
      helper.then(
        (open) => this.#helpers.get(key) === helper && this.#opened.set(key, open),
        () => this.#helpers.get(key) === helper && this.#helpers.delete(key),
      );
    }
    const ready = await helper;
    if (ready.record.status === 'gone') {
      if (this.#helpers.get(key) === helper) {
        this.#helpers.delete(key);
        this.#opened.delete(key);
      }
      return this.#helper(key, origin);
    }
    return ready;
  }

  async #open(origin: string): Promise<Helper> {
    const { host, targets, browserContextId } = this.#backend;
    const { targetId } = await host.connection.root.send('Target.createTarget', {
      url: 'about:blank',
      background: true,
      ...(browserContextId ? { browserContextId } : {}),
    });
    const record = await targets.waitForTarget(targetId);
    const helper: Helper = { record, seen: new Map(), waiters: new Map(), idle: undefined, busy: 0 };
    await this.#interceptor.adoptHelper(record.client, record.targetInfo);
    await useNetwork(record.client);
    watchOutcomes(record.client, helper);
    const outcome = await navigateAndWait(record.client, targetId, { url: `${origin}${HELPER_PATH}` });
    if ('errorText' in outcome) throw new Error(`${outcome.errorText} (the fetch helper could not stand in ${origin})`);
    return helper;
  }

  #scheduleClose(key: string, helper: Helper): void {
    helper.idle = setTimeout(() => void this.#close(key, helper), IDLE_MS);
    helper.idle.unref();
  }

  /** Closes `helper`, the page of `key` (only while it is that key's page: a newer one is left alone). */
  async #close(key: string, helper: Helper): Promise<void> {
    clearTimeout(helper.idle);
    if (this.#opened.get(key) === helper) {
      this.#opened.delete(key);
      this.#helpers.delete(key);
    }
    await sendMayFail(this.#backend.host.connection.root, 'Target.closeTarget', { targetId: helper.record.targetId });
  }
}

/** Waits (2 s at most) for Chrome's raw headers of `url` when Chrome said they come and they are not here yet. */
async function rawHeadersOf(helper: Helper, url: string): Promise<void> {
  const pending = (): boolean => {
    const seen = helper.seen.get(url);
    return Boolean(seen?.response && seen.hasExtraInfo && !seen.rawHeaders);
  };
  if (!pending()) return;
  const waiters = helper.waiters.get(url) ?? new Set<() => void>();
  helper.waiters.set(url, waiters);
  let wake = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve) => {
      wake = () => {
        if (!pending()) resolve();
      };
      waiters.add(wake);
      timer = setTimeout(resolve, 2_000);
    });
  } finally {
    clearTimeout(timer);
    waiters.delete(wake);
    if (!waiters.size) helper.waiters.delete(url);
  }
}

export function headerPairs(headers: Headers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  headers.forEach((value, name) => pairs.push([name, value]));
  return pairs;
}

/** Failures and responses of the helper's requests by URL: the page's fetch only says "Failed to fetch". */
function watchOutcomes(client: CdpSession, helper: Helper): void {
  const { seen } = helper;
  const urls = new Map<string, string>();
  const record = (url: string, value: Seen): void => {
    seen.set(url, { ...seen.get(url), ...value });
    for (const wake of helper.waiters.get(url) ?? []) wake();
  };
  client.on('Network.requestWillBeSent', (event) => {
    if (event.redirectResponse) record(urls.get(event.requestId) ?? event.redirectResponse.url, { response: event.redirectResponse });
    urls.set(event.requestId, event.request.url);
  });
  client.on('Network.responseReceivedExtraInfo', (event) => {
    const url = urls.get(event.requestId);
    if (url) record(url, event.headersText ? { rawHeaders: event.headers, headersText: event.headersText } : { rawHeaders: event.headers });
  });
  client.on('Network.responseReceived', (event) => record(event.response.url, { response: event.response, hasExtraInfo: event.hasExtraInfo }));
  client.on('Network.loadingFailed', (event) => {
    const url = urls.get(event.requestId);
    if (url) seen.set(url, { ...seen.get(url), errorText: event.errorText });
    urls.delete(event.requestId);
  });
  client.on('Network.loadingFinished', (event) => urls.delete(event.requestId));
}


/** A `file:` URL, read by us: Chrome lets no page fetch files. */
export async function fileResponse(request: Request): Promise<Response> {
  try {
    const body = await readFile(fileURLToPath(request.url));
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200 });
  } catch {
    throw new Error('net::ERR_FILE_NOT_FOUND');
  }
}

interface FetchOptions {
  bypassHandlers: boolean;
  protocol: { fetchRegistered(request: Request): Promise<Response | undefined> };
  ready: () => Promise<SessionFetcher>;
}

/** Where a fetch may be redirected (as in Electron: not to data:, about: or blob:, nor to file: from elsewhere). */
function mayRedirect(from: string): (protocol: string) => boolean {
  return (protocol) => !['data:', 'about:', 'blob:'].includes(protocol) && (protocol !== 'file:' || from.startsWith('file:'));
}

/**
 * `ses.fetch()`: redirects are followed here, one hop at a time, so that each
 * hop is sent from its own origin (with its cookies, and without the CORS a
 * page's fetch would need across origins) and may lead to a registered scheme.
 */
export async function fetchInSession(request: Request, options: FetchOptions): Promise<Response> {
  if (request.redirect !== 'follow') return fetchHop(request, options);
  if (request.signal.aborted) throw request.signal.reason;
  const body = request.body ? await request.arrayBuffer() : null;
  let { url, method, headers } = request;
  for (let hops = 0; ; hops++) {
    const hop = new Request(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? null : body,
      redirect: 'manual',
      credentials: request.credentials,
      cache: request.cache,
      mode: request.mode,
      referrer: request.referrer,
      referrerPolicy: request.referrerPolicy,
      signal: request.signal,
    });
    const response = await fetchHop(hop, options);
    const target = redirectTarget(response, url, mayRedirect(url));
    if (!target) return response;
    if (hops === MAX_REDIRECTS) throw new Error('net::ERR_TOO_MANY_REDIRECTS');
    const next = redirectMethod(response.status, method);
    headers = redirectHeaders(headers, url, target, next !== method);
    [url, method] = [target.href, next];
  }
}

/**
 * One request of `ses.fetch()`: a registered custom scheme is served by its handler (unless `bypassHandlers`),
 * `file:` from disk, `http(s):` by the session's Chrome; other schemes fail as in Electron.
 */
async function fetchHop(request: Request, options: FetchOptions): Promise<Response> {
  if (request.signal.aborted) throw request.signal.reason;
  const scheme = new URL(request.url).protocol.slice(0, -1);
  if (!options.bypassHandlers) {
    const served = await options.protocol.fetchRegistered(request);
    if (served) return served;
  }
  if (scheme === 'file') return fileResponse(request);
  if (scheme !== 'http' && scheme !== 'https') throw new Error('net::ERR_UNKNOWN_URL_SCHEME');
  const fetcher = await options.ready();
  return fetcher.fetch(request, request.signal);
}

import { readFile } from 'node:fs/promises';
import { asElectronFailure } from './unexpected-failures.js';
import { fileURLToPath } from 'node:url';
import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { TargetRecord } from '../../protocol/target-manager.js';
import { navigateAndWait } from './navigation.js';
import { useNetwork } from './network-domain.js';
import { HELPER_PATH, type RequestInterceptor } from './request-interceptor.js';
import type { ContextRef } from './session-backend.js';
import { explainNetError } from './net-failures.js';
import { MAX_REDIRECTS, redirectHeaders, redirectMethod, redirectTarget } from './redirects.js';

/** Helper pages kept at once, and how long an unused one lives. */
const MAX_HELPERS = 4;
const IDLE_MS = 30_000;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

interface Seen {
  errorText?: string;
  response?: Protocol.Network.Response;
  /** The response's headers as received, Set-Cookie included (the page's fetch never sees it). */
  rawHeaders?: Protocol.Network.Headers;
}

interface Helper {
  readonly record: TargetRecord;
  readonly seen: Map<string, Seen>;
  idle: NodeJS.Timeout | undefined;
  busy: number;
}

interface PageResult {
  error?: string;
  status?: number;
  statusText?: string;
  headers?: Array<[string, string]>;
  body?: string;
  type?: string;
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

  constructor(backend: ContextRef, interceptor: RequestInterceptor) {
    this.#backend = backend;
    this.#interceptor = interceptor;
  }

  async fetch(request: Request, signal: AbortSignal | undefined): Promise<Response> {
    return this.#withHelper(new URL(request.url).origin, (helper) => this.#run(helper, request, signal));
  }

  /** Runs `work` on the page standing in `origin` (downloads use it too); keeps the page while it runs. */
  withPage<T>(origin: string, work: (client: CdpSession, targetId: string) => Promise<T>): Promise<T> {
    return this.#withHelper(origin, (helper) => work(helper.record.client, helper.record.targetId));
  }

  async #withHelper<T>(origin: string, work: (helper: Helper) => Promise<T>): Promise<T> {
    const helper = await this.#helper(origin);
    helper.busy++;
    clearTimeout(helper.idle);
    try {
      return await work(helper);
    } finally {
      if (--helper.busy === 0) this.#scheduleClose(origin, helper);
    }
  }

  async #run(helper: Helper, request: Request, signal: AbortSignal | undefined): Promise<Response> {
    const { client } = helper.record;
    const body = request.body ? Buffer.from(await request.arrayBuffer()).toString('base64') : null;
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
    const onAbort = (): void => void sendMayFail(client, 'Runtime.evaluate', { expression: `globalThis.__csAbort?.get(${abortId})?.abort()` });
    signal?.addEventListener('abort', onAbort, { once: true });
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
      return this.#toResponse(helper, request, result.value as PageResult);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #toResponse(helper: Helper, request: Request, result: PageResult): Response {
    const response = this.#responseOf(helper, request, result);
    const seen = helper.seen.get(request.url);
    (response as WithWire)[kWire] = { rawHeaders: seen?.rawHeaders && headerLines(seen.rawHeaders), protocol: seen?.response?.protocol };
    return response;
  }

  #responseOf(helper: Helper, request: Request, result: PageResult): Response {
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
    return new Response(nullBody ? null : Buffer.from(result.body ?? '', 'base64'), {
      status,
      statusText: result.statusText ?? '',
      headers: result.headers ?? [],
    });
  }

  async #helper(origin: string): Promise<Helper> {
    let helper = this.#helpers.get(origin);
    if (!helper) {
      if (this.#helpers.size >= MAX_HELPERS) {
        const [oldest] = this.#helpers.keys();
        void this.#close(oldest!);
      }
      helper = this.#open(origin);
      this.#helpers.set(origin, helper);
      helper.catch(() => this.#helpers.delete(origin));
    }
    const ready = await helper;
    if (ready.record.status === 'gone') {
      this.#helpers.delete(origin);
      return this.#helper(origin);
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
    const helper: Helper = { record, seen: new Map(), idle: undefined, busy: 0 };
    await this.#interceptor.adoptHelper(record.client, record.targetInfo);
    await useNetwork(record.client);
    watchOutcomes(record.client, helper.seen);
    const outcome = await navigateAndWait(record.client, targetId, { url: `${origin}${HELPER_PATH}` });
    if (outcome.kind === 'failed') throw new Error(`${outcome.errorText} (the fetch helper could not stand in ${origin})`);
    return helper;
  }

  #scheduleClose(origin: string, helper: Helper): void {
    helper.idle = setTimeout(() => void this.#close(origin), IDLE_MS);
    helper.idle.unref();
  }

  async #close(origin: string): Promise<void> {
    const helper = this.#helpers.get(origin);
    this.#helpers.delete(origin);
    const ready = await helper?.catch(() => undefined);
    if (!ready) return;
    clearTimeout(ready.idle);
    await sendMayFail(this.#backend.host.connection.root, 'Target.closeTarget', { targetId: ready.record.targetId });
  }
}

/** What Chrome told us of a response beyond what the page's fetch sees. */
export interface Wire {
  /** The headers as the server sent them, Set-Cookie too, one pair per value (when Chrome reported them). */
  rawHeaders: Array<[string, string]> | undefined;
  /** Chrome's protocol name: `http/1.1`, `h2`... */
  protocol: string | undefined;
}

const kWire = Symbol('wire');
type WithWire = Response & { [kWire]?: Wire };

/** The wire facts of a response `SessionFetcher` made (none for other responses). */
export function wireOf(response: Response): Wire | undefined {
  return (response as WithWire)[kWire];
}

/** CDP joins a header's repeated values with newlines: one pair per value. */
function headerLines(headers: Protocol.Network.Headers): Array<[string, string]> {
  return Object.entries(headers).flatMap(([name, value]) => String(value).split('\n').map((line): [string, string] => [name, line]));
}

export function headerPairs(headers: Headers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  headers.forEach((value, name) => pairs.push([name, value]));
  return pairs;
}

/** Failures and responses of the helper's requests by URL: the page's fetch only says "Failed to fetch". */
function watchOutcomes(client: CdpSession, seen: Helper['seen']): void {
  const urls = new Map<string, string>();
  const record = (url: string, value: Seen): void => void seen.set(url, { ...seen.get(url), ...value });
  client.on('Network.requestWillBeSent', (event) => {
    if (event.redirectResponse) record(urls.get(event.requestId) ?? event.redirectResponse.url, { response: event.redirectResponse });
    urls.set(event.requestId, event.request.url);
  });
  client.on('Network.responseReceivedExtraInfo', (event) => {
    const url = urls.get(event.requestId);
    if (url) record(url, { rawHeaders: event.headers });
  });
  client.on('Network.responseReceived', (event) => record(event.response.url, { response: event.response }));
  client.on('Network.loadingFailed', (event) => {
    const url = urls.get(event.requestId);
    if (url) seen.set(url, { ...seen.get(url), errorText: event.errorText });
    urls.delete(event.requestId);
  });
  client.on('Network.loadingFinished', (event) => urls.delete(event.requestId));
}

/* c8 ignore start: runs in the helper page */
async function pageFetch(url: string, init: Record<string, unknown> & { headers: Array<[string, string]>; body: string | null }, abortId: number): Promise<PageResult> {
  const scope = globalThis as unknown as { __csAbort?: Map<number, AbortController> };
  const controller = new AbortController();
  (scope.__csAbort ??= new Map()).set(abortId, controller);
  try {
    const request: RequestInit = { ...(init as RequestInit), signal: controller.signal, body: null };
    if (init.body !== null) request.body = Uint8Array.from(atob(init.body), (c) => c.charCodeAt(0));
    const response = await fetch(url, request);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const headers: Array<[string, string]> = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    return { status: response.status, statusText: response.statusText, headers, body: btoa(binary), type: response.type };
  } catch (error) {
    return { error: String(error) };
  } finally {
    scope.__csAbort.delete(abortId);
  }
}
/* c8 ignore stop */

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

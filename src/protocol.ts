import type { CdpSession } from '../protocol/cdp-session.js';
import type { Protocol as Cdp } from '../protocol/cdp-types.js';
import type { SchemeResponder } from './internal/request-interceptor.js';
import { markUnexpected } from './internal/unexpected-failures.js';
import { warnOnce } from './internal/unsupported.js';
import { legacyResponder, type LegacyHandler, type LegacyKind, type Served } from './internal/legacy-protocol.js';

export type { ProtocolRequest, ProtocolResponse } from './internal/legacy-protocol.js';

/** `protocol.handle()`'s handler: a web `Request` in, a `Response` (or a promise of one) out. */
export type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** Schemes `handle()` intercepts; every other scheme is registered. */
const INTERCEPTABLE = new Set(['http', 'https', 'file']);

interface Entry {
  serve: (request: Request) => Promise<Served>;
}

/**
 * A session's `protocol`: handlers that answer its requests for a scheme in
 * place of the network. `http`, `https` and `file` are intercepted for every
 * page and worker of the session (through Chrome's request interception);
 * other schemes are registered, and serve the subresources pages load from
 * them (Chrome hands those to the network stack, where interception pauses
 * them) and `ses.fetch`.
 *
 * Electron parity: Chrome navigates to no scheme it does not know (it hands
 * the URL to the system and aborts, before any request interception sees
 * it), so a custom scheme cannot serve documents (main frames, iframes);
 * and a page's `fetch()`/XHR refuse one before sending (Chrome is not told
 * of `registerSchemesAsPrivileged`' `supportFetchAPI`).
 */
export class Protocol implements SchemeResponder {
  readonly #registered = new Map<string, Entry>();
  readonly #intercepted = new Map<string, Entry>();
  readonly #changed: () => void;

  /** @internal Made by its Session; `changed` tells the interceptor to pause the new schemes. */
  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** Serves requests for `scheme` with `handler`; throws `Failed to register protocol: <scheme>` when already handled. */
  handle(scheme: string, handler: ProtocolHandler): void {
    const table = this.#tableFor(scheme);
    if (table.has(scheme) || typeof handler !== 'function') throw new Error(`Failed to register protocol: ${scheme}`);
    table.set(scheme, { serve: (request) => serveWithHandler(handler, request) });
    this.#changed();
  }

  /** Removes the handler of `scheme`; throws `Failed to unhandle protocol: <scheme>` when there is none. */
  unhandle(scheme: string): void {
    const table = this.#tableFor(scheme);
    if (!table.delete(scheme)) throw new Error(`Failed to unhandle protocol: ${scheme}`);
    this.#changed();
  }

  isProtocolHandled(scheme: string): boolean {
    return this.#tableFor(scheme).has(scheme);
  }

  /** The `protocol` module's, before ready only; a session (made after ready) can only say so. */
  registerSchemesAsPrivileged(_customSchemes: unknown[]): void {
    throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
  }

  /** @deprecated Electron 25: use handle(). */
  registerStringProtocol = this.#registerer('string');
  /** @deprecated */
  registerBufferProtocol = this.#registerer('buffer');
  /** @deprecated */
  registerFileProtocol = this.#registerer('file');
  /** @deprecated */
  registerHttpProtocol = this.#registerer('http');
  /** @deprecated */
  registerStreamProtocol = this.#registerer('stream');
  /** @deprecated */
  registerProtocol = this.#registerer('any');
  /** @deprecated */
  interceptStringProtocol = this.#interceptor('string');
  /** @deprecated */
  interceptBufferProtocol = this.#interceptor('buffer');
  /** @deprecated */
  interceptFileProtocol = this.#interceptor('file');
  /** @deprecated */
  interceptHttpProtocol = this.#interceptor('http');
  /** @deprecated */
  interceptStreamProtocol = this.#interceptor('stream');
  /** @deprecated */
  interceptProtocol = this.#interceptor('any');

  /** @deprecated Returns whether a registration was removed. */
  unregisterProtocol(scheme: string, completion?: (error: Error | null) => void): boolean {
    return this.#remove(this.#registered, scheme, 'The scheme has not been registered', completion);
  }

  /** @deprecated Returns whether an interception was removed. */
  uninterceptProtocol(scheme: string, completion?: (error: Error | null) => void): boolean {
    return this.#remove(this.#intercepted, scheme, 'The scheme has not been intercepted', completion);
  }

  isProtocolRegistered(scheme: string): boolean {
    return this.#registered.has(scheme);
  }

  isProtocolIntercepted(scheme: string): boolean {
    return this.#intercepted.has(scheme);
  }

  /** @internal Every scheme with a handler: Chrome pauses their requests for us. */
  pausedSchemes(): string[] {
    return [...this.#intercepted.keys(), ...[...this.#registered.keys()].filter((scheme) => this.#servingRegistration(scheme))];
  }

  /** @internal Answers a paused request of a handled scheme. */
  async serve(client: CdpSession, paused: Cdp.Fetch.RequestPausedEvent, headers: Cdp.Fetch.HeaderEntry[] | undefined): Promise<boolean> {
    const url = paused.request.url;
    const scheme = url.slice(0, url.indexOf(':'));
    const entry = this.#intercepted.get(scheme) ?? this.#servingRegistration(scheme);
    if (!entry) return false;
    const served = await entry.serve(toRequest(paused, headers));
    if (served.kind === 'fail') {
      if (served.unexpected) markUnexpected(client, url);
      await client.send('Fetch.failRequest', { requestId: paused.requestId, errorReason: served.reason });
      return true;
    }
    await client.send('Fetch.fulfillRequest', {
      requestId: paused.requestId,
      responseCode: served.status,
      responsePhrase: served.statusText || undefined,
      responseHeaders: served.headers,
      body: served.body.toString('base64'),
    });
    return true;
  }

  /** @internal A document of a registered scheme failed to load: a warning (once) says why. */
  explainRefusedDocument(url: string): void {
    if (!this.#registered.has(url.slice(0, Math.max(0, url.indexOf(':'))))) return;
    warnOnce('protocol.handle', `${url}: Chrome navigates to no scheme it does not know, so a custom scheme's handler serves subresources and ses.fetch() only, not documents`);
  }

  /** @internal `ses.fetch()` of a registered scheme: the handler's answer, or undefined when none is registered. */
  async fetchRegistered(request: Request): Promise<Response | undefined> {
    const scheme = new URL(request.url).protocol.slice(0, -1);
    const entry = this.#servingRegistration(scheme);
    if (!entry) return undefined;
    const served = await entry.serve(request);
    if (served.kind === 'fail') throw new Error(served.reason === 'BlockedByClient' ? 'net::ERR_BLOCKED_BY_CLIENT' : served.unexpected ? 'net::ERR_UNEXPECTED' : 'net::ERR_FAILED');
    const nullBody = [101, 204, 205, 304].includes(served.status) || request.method === 'HEAD';
    return new Response(nullBody ? null : new Uint8Array(served.body), {
      status: served.status,
      statusText: served.statusText,
      headers: served.headers.map(({ name, value }): [string, string] => [name, value]),
    });
  }

  /** The registration that serves `scheme`: a registration of http, https or file (the deprecated register*Protocol) serves nothing, as in Electron. */
  #servingRegistration(scheme: string): Entry | undefined {
    return INTERCEPTABLE.has(scheme) ? undefined : this.#registered.get(scheme);
  }

  #tableFor(scheme: string): Map<string, Entry> {
    return INTERCEPTABLE.has(scheme) ? this.#intercepted : this.#registered;
  }

  #registerer(kind: LegacyKind): (scheme: string, handler: LegacyHandler, completion?: (error: Error | null) => void) => boolean {
    return (scheme, handler, completion) => this.#add(this.#registered, scheme, kind, handler, 'The scheme has been registered', completion);
  }

  #interceptor(kind: LegacyKind): (scheme: string, handler: LegacyHandler, completion?: (error: Error | null) => void) => boolean {
    return (scheme, handler, completion) => this.#add(this.#intercepted, scheme, kind, handler, 'The scheme has been intercepted', completion);
  }

  #add(table: Map<string, Entry>, scheme: string, kind: LegacyKind, handler: LegacyHandler, taken: string, completion?: (error: Error | null) => void): boolean {
    const added = !table.has(scheme) && typeof handler === 'function';
    if (added) {
      table.set(scheme, { serve: (request) => legacyResponder(kind, handler)(request) });
      this.#changed();
    }
    complete(completion, added ? null : new Error(taken));
    return added;
  }

  #remove(table: Map<string, Entry>, scheme: string, missing: string, completion?: (error: Error | null) => void): boolean {
    const removed = table.delete(scheme);
    if (removed) this.#changed();
    complete(completion, removed ? null : new Error(missing));
    return removed;
  }
}

function complete(completion: ((error: Error | null) => void) | undefined, error: Error | null): void {
  if (typeof completion !== 'function') return;
  process.emitWarning('The callback argument of protocol module APIs is no longer needed.', 'DeprecationWarning');
  completion(error);
}

/** The paused request as a web Request (an `origin: null` header is left out, as in Electron). */
function toRequest(paused: Cdp.Fetch.RequestPausedEvent, entries: Cdp.Fetch.HeaderEntry[] | undefined): Request {
  const { request } = paused;
  const headers = new Headers();
  const list = entries ?? Object.entries(request.headers).map(([name, value]) => ({ name, value: String(value) }));
  for (const { name, value } of list) {
    if (name.toLowerCase() === 'origin' && value === 'null') continue;
    try {
      headers.append(name, value);
    } catch {
      // A header the web Headers class refuses is not passed on.
    }
  }
  const body = request.postDataEntries?.length
    ? Buffer.concat(request.postDataEntries.map((entry) => Buffer.from(entry.bytes ?? '', 'base64')))
    : request.postData !== undefined
      ? Buffer.from(request.postData)
      : undefined;
  const init: RequestInit = { method: request.method, headers };
  if (body && request.method !== 'GET' && request.method !== 'HEAD') init.body = body;
  return new Request(request.url, init);
}

async function serveWithHandler(handler: ProtocolHandler, request: Request): Promise<Served> {
  let response: unknown;
  try {
    response = await handler(request);
  } catch (error) {
    console.error(error);
    return { kind: 'fail', reason: 'Failed', unexpected: true };
  }
  if (!isResponseLike(response)) return { kind: 'fail', reason: 'Failed', unexpected: true };
  if (response.type === 'error') return { kind: 'fail', reason: 'Failed' };
  const headers: Cdp.Fetch.HeaderEntry[] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push({ name, value });
  });
  for (const cookie of response.headers.getSetCookie()) headers.push({ name: 'set-cookie', value: cookie });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
  return { kind: 'fulfill', status: response.status, statusText: response.statusText, headers, body };
}

function isResponseLike(value: unknown): value is Response {
  if (value instanceof Response) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Response>;
  return typeof candidate.status === 'number' && typeof candidate.arrayBuffer === 'function' && candidate.headers instanceof Headers;
}

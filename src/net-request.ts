import { Writable } from 'node:stream';
import { authorizationFor, chooseChallenge, parseChallenges, type AuthChallenge } from './internal/http-auth.js';
import type { AuthInfo } from './internal/login.js';
import { MAX_REDIRECTS, redirectHeaders, redirectMethod, redirectTarget } from './internal/redirects.js';
import { headerPairs, wireOf } from './internal/session-fetch.js';
import { IncomingMessage, headerArrays, type ResponseHead } from './net-incoming-message.js';
import { session as sessions } from './partitions.js';
import { Session } from './session.js';

type RedirectPolicy = 'follow' | 'error' | 'manual';

/** Electron's ClientRequestConstructorOptions. */
export interface ClientRequestConstructorOptions {
  method?: string;
  url?: string;
  headers?: Record<string, string | string[]>;
  session?: Session;
  partition?: string;
  credentials?: 'include' | 'omit' | 'same-origin';
  useSessionCookies?: boolean;
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: number;
  path?: string;
  redirect?: RedirectPolicy;
  origin?: string;
  referrerPolicy?: string;
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
  priority?: 'throttled' | 'idle' | 'lowest' | 'low' | 'medium' | 'highest';
  priorityIncremental?: boolean;
  bypassCustomProtocolHandlers?: boolean;
}

export interface UploadProgress {
  active: boolean;
  started: boolean;
  current: number;
  total: number;
}


interface Header {
  name: string;
  value: string | string[] | number;
}

const MAX_LOGINS = 3;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VERSIONS: Record<string, string> = { 'http/0.9': '0.9', 'http/1.0': '1.0', 'http/1.1': '1.1', h2: '2.0', h3: '3.0' };

/**
 * Electron's ClientRequest (`net.request`): a Writable for the body, sent by
 * the session's Chrome like `ses.fetch()` (so its proxy, cache, user agent,
 * webRequest listeners and protocol handlers apply), one hop at a time so that
 * each redirect is seen ('redirect', `followRedirect()`) and each hop carries
 * its own origin's cookies. Cookies go out and are stored only with
 * `useSessionCookies` or `credentials: 'include'`, as in Electron.
 *
 * The response's body flows as Chrome receives it. Differences: the body is
 * sent when `end()` is called, whole (also with `chunkedEncoding`: Chrome
 * streams uploads only over HTTP/2); 'login' answers 401 `Basic` and `Digest` challenges
 * (the credentials go out as an `Authorization` header).
 */
export class ClientRequest extends Writable {
  readonly #headers = new Map<string, Header>();
  readonly #url: string;
  readonly #method: string;
  readonly #policy: RedirectPolicy;
  readonly #session: Session;
  readonly #options: ClientRequestConstructorOptions;
  readonly #controller = new AbortController();
  readonly #chunks: Buffer[] = [];
  #started = false;
  #firstWrite = false;
  #aborted = false;
  #chunked: boolean | undefined;
  #followRedirect: (() => void) | undefined;
  #response: IncomingMessage | undefined;
  #progress: UploadProgress = { active: false, started: false, current: 0, total: 0 };

  constructor(options: ClientRequestConstructorOptions | string, callback?: (response: IncomingMessage) => void) {
    super({ autoDestroy: false });
    if (callback) this.once('response', callback);
    const parsed: ClientRequestConstructorOptions = typeof options === 'string' ? { url: new URL(options).href } : { ...options };
    this.#url = requestUrl(parsed);
    const policy = parsed.redirect ?? 'follow';
    if (!['follow', 'error', 'manual'].includes(policy)) throw new Error('redirect mode should be one of follow, error or manual');
    this.#policy = policy;
    if (parsed.headers != null && typeof parsed.headers !== 'object') throw new TypeError('headers must be an object');
    for (const [name, value] of Object.entries(parsed.headers ?? {})) {
      validateHeader(name, value);
      this.#headers.set(name.toLowerCase(), { name, value });
    }
    this.#session = sessionOf(parsed);
    if (!['http:', 'https:'].includes(new URL(this.#url).protocol)) throw new Error('ClientRequest only supports http: and https: protocols');
    if (parsed.credentials === 'same-origin' && !parsed.origin) throw new Error('credentials: same-origin requires origin to be set');
    this.#method = (parsed.method ?? 'GET').toUpperCase();
    this.#options = parsed;
  }

  get chunkedEncoding(): boolean {
    return this.#chunked ?? false;
  }

  set chunkedEncoding(value: boolean) {
    if (this.#started) throw new Error('chunkedEncoding can only be set before the request is started');
    if (this.#chunked !== undefined) throw new Error('chunkedEncoding can only be set once');
    this.#chunked = Boolean(value);
  }

  setHeader(name: string, value: string | string[] | number): void {
    if (this.#started || this.#firstWrite) throw new Error("Can't set headers after they are sent");
    validateHeader(name, value);
    this.#headers.set(name.toLowerCase(), { name, value });
  }

  getHeader(name: string): string | string[] | number | undefined {
    if (name == null) throw new Error('`name` is required for getHeader(name)');
    return this.#headers.get(name.toLowerCase())?.value;
  }

  removeHeader(name: string): void {
    if (name == null) throw new Error('`name` is required for removeHeader(name)');
    if (this.#started || this.#firstWrite) throw new Error("Can't remove headers after they are sent");
    this.#headers.delete(name.toLowerCase());
  }

  followRedirect(): void {
    if (!this.#followRedirect) throw new Error('followRedirect() called, but was not waiting for a redirect');
    this.#followRedirect();
  }

  abort(): void {
    if (!this.#aborted) process.nextTick(() => this.emit('abort'));
    this.#aborted = true;
    this.#die();
  }

  getUploadProgress(): UploadProgress {
    return { ...this.#progress };
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#firstWrite = true;
    this.#chunks.push(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#started = true;
    this.#run().catch((error: unknown) => {
      // An aborted request reports nothing more.
      if (!this.#aborted) this.#die(error instanceof Error ? error : new Error(String(error)));
    });
    callback();
  }

  async #run(): Promise<void> {
    let url = this.#url;
    let method = this.#method;
    let body: Buffer | undefined = this.#chunks.length ? Buffer.concat(this.#chunks) : undefined;
    this.#progress = { active: true, started: true, current: 0, total: body?.length ?? 0 };
    let headers = new Headers();
    let referrer = '';
    for (const { name, value } of this.#headers.values()) {
      if (name.toLowerCase() === 'referer') referrer = String(value);
      else headers.append(name, String(value));
    }
    let authorization: string | undefined;
    let redirects = 0;
    let logins = 0;
    for (;;) {
      const hopHeaders = new Headers(headers);
      if (authorization) hopHeaders.set('Authorization', authorization);
      const response = await this.#session.fetch(this.#request(url, method, hopHeaders, body, referrer), {
        bypassCustomProtocolHandlers: Boolean(this.#options.bypassCustomProtocolHandlers),
      });
      if (this.#aborted) {
        void response.body?.cancel();
        return;
      }
      this.#progress.current = this.#progress.total;
      const wire = wireOf(response);
      const lines = wire?.rawHeaders ?? headerPairs(response.headers);
      const next = redirectTarget(response, url, (protocol) => protocol === 'http:' || protocol === 'https:');
      if (next) {
        void response.body?.cancel();
        if (++redirects > MAX_REDIRECTS) throw new Error('net::ERR_TOO_MANY_REDIRECTS');
        const nextMethod = redirectMethod(response.status, method);
        if (!this.#mayRedirect(response.status, nextMethod, next.href, headerArrays(lines))) return;
        if (nextMethod !== method) body = undefined;
        headers = redirectHeaders(headers, url, next, nextMethod !== method);
        [url, method, authorization] = [next.href, nextMethod, undefined];
        continue;
      }
      const challenge = response.status === 401 && this.#options.credentials !== 'omit' ? chooseChallenge(parseChallenges(response.headers.get('www-authenticate'))) : undefined;
      if (challenge && logins++ < MAX_LOGINS) {
        const credentials = await this.#login(url, challenge);
        if (this.#aborted || credentials) void response.body?.cancel();
        if (this.#aborted) return;
        if (credentials) {
          const { pathname, search } = new URL(url);
          authorization = authorizationFor(challenge, credentials[0], credentials[1], method, `${pathname}${search}`);
          continue;
        }
      }
      const head: ResponseHead = {
        statusCode: response.status,
        statusMessage: response.statusText,
        rawHeaders: lines,
        httpVersion: VERSIONS[wire?.protocol ?? ''] ?? '1.1',
      };
      if (this.#aborted) {
        void response.body?.cancel();
        return;
      }
      const message = new IncomingMessage(head, response.body);
      this.#response = message;
      message.once('end', () => this.destroy());
      // A body that broke off fails the request too, as in Electron.
      message.once('error', (error: Error) => this.#die(error));
      message.once('close', () => this.destroy());
      this.emit('response', message);
      return;
    }
  }

  #request(url: string, method: string, headers: Headers, body: Buffer | undefined, referrer: string): Request {
    // `priority` is not passed on: a page's fetch() has no way to give Chrome Electron's six levels.
    const { cache, referrerPolicy } = this.#options;
    return new Request(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? null : (body ?? null),
      redirect: 'manual',
      credentials: this.#credentials(url),
      ...(cache ? { cache } : {}),
      ...(referrerPolicy ? { referrerPolicy: referrerPolicy as ReferrerPolicy } : {}),
      ...(referrer && URL.canParse(referrer) ? { referrer } : {}),
      signal: this.#controller.signal,
    } as RequestInit);
  }

  /** Cookies only when asked for, as in Electron (its default sends HTTP auth but no cookies). */
  #credentials(url: string): RequestCredentials {
    const { credentials, useSessionCookies, origin } = this.#options;
    if (credentials === 'include') return 'include';
    if (credentials === 'same-origin') return new URL(origin!).origin === new URL(url).origin ? 'include' : 'omit';
    return credentials === undefined && useSessionCookies ? 'include' : 'omit';
  }

  /** The 'redirect' event: whether to go on (throws for the 'error' policy and for a manual one not followed). */
  #mayRedirect(statusCode: number, method: string, url: string, headers: Record<string, string[]>): boolean {
    if (this.#policy === 'error') throw new Error("Attempted to redirect, but redirect policy was 'error'");
    let followed = this.#policy === 'follow';
    this.#followRedirect = () => (followed = true);
    try {
      this.emit('redirect', statusCode, method, url, headers);
    } finally {
      this.#followRedirect = undefined;
    }
    if (this.#aborted) return false;
    if (!followed) throw new Error('Redirect was cancelled');
    return true;
  }

  /** The 'login' event for a server's Basic or Digest challenge; nobody listening or no username cancels. */
  #login(url: string, { scheme, realm }: AuthChallenge): Promise<[string, string] | undefined> {
    const { hostname, port, protocol } = new URL(url);
    const authInfo: AuthInfo = { isProxy: false, scheme, host: hostname, port: Number(port) || (protocol === 'https:' ? 443 : 80), realm };
    return new Promise((resolve) => {
      const signal = this.#controller.signal;
      const callback = (username?: string, password?: string): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(username === undefined ? undefined : [String(username), String(password ?? '')]);
      };
      const onAbort = (): void => callback();
      signal.addEventListener('abort', onAbort, { once: true });
      if (!this.emit('login', authInfo, callback)) callback();
    });
  }

  #die(error?: Error): void {
    // Once ended, a Writable's destroy() reports no error itself: say it.
    if (this.destroyed && error) this.emit('error', error);
    this.destroy(error);
    this.#controller.abort();
    this.#response?.destroy(error);
  }
}

function validateHeader(name: unknown, value: unknown): void {
  if (typeof name !== 'string') throw new TypeError('`name` should be a string in setHeader(name, value)');
  if (value == null) throw new Error(`\`value\` required in setHeader("${name}", value)`);
  if (!TOKEN.test(name)) throw new Error(`Invalid header name: '${name}'`);
  if (/[\r\n\0]/.test(String(value))) throw new Error(`Invalid value for header '${name}': '${String(value)}'`);
}

/** The URL of the options: `url`, or one made of `protocol`, `host`/`hostname`, `port` and `path`. */
function requestUrl(options: ClientRequestConstructorOptions & { href?: string }): string {
  const given = options.url ?? options.href;
  if (given) return new URL(given).href;
  if (options.path && / /.test(options.path)) throw new TypeError('Request path contains unescaped characters');
  const host = options.host ?? `${options.hostname ?? 'localhost'}${options.port ? `:${options.port}` : ''}`;
  const { pathname, search, hash } = new URL(options.path ?? '/', 'http://localhost');
  return new URL(`${options.protocol ?? 'http:'}//${host}${pathname}${search}${hash}`).href;
}

function sessionOf(options: ClientRequestConstructorOptions): Session {
  if (options.session) {
    if (!(options.session instanceof Session)) throw new TypeError('`session` should be an instance of the Session class');
    return options.session;
  }
  if (options.partition != null) {
    if (typeof options.partition !== 'string') throw new TypeError('`partition` should be a string');
    return sessions.fromPartition(options.partition);
  }
  return sessions.defaultSession;
}


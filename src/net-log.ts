import { writeFile } from 'node:fs/promises';
import { harFromMessages, type HarMessage } from 'chrome-har';
import type { CdpSession } from '../protocol/cdp-session.js';
import type { Protocol } from '../protocol/cdp-types.js';
import { debug } from '../protocol/debug.js';
import { keepAlive } from './internal/keep-alive.js';
import { useNetwork } from './internal/network-domain.js';
import { runtime } from './internal/runtime.js';
import type { BackendGetter } from './internal/session-backend.js';

export interface NetLogOptions {
  /** `default` strips cookies and credentials; `includeSensitive` keeps them; `everything` adds response bodies. */
  captureMode?: 'default' | 'includeSensitive' | 'everything';
  /** Bytes; once the log would grow past it, later events are left out. */
  maxFileSize?: number;
}

const CAPTURE_MODES = ['default', 'includeSensitive', 'everything'];
/** The CDP events a HAR is made of (chrome-har's input). */
const EVENTS = [
  'Network.requestWillBeSent',
  'Network.requestWillBeSentExtraInfo',
  'Network.requestServedFromCache',
  'Network.responseReceived',
  'Network.responseReceivedExtraInfo',
  'Network.dataReceived',
  'Network.loadingFinished',
  'Network.loadingFailed',
  'Network.resourceChangedPriority',
  'Page.frameAttached',
  'Page.frameRequestedNavigation',
  'Page.frameStartedLoading',
  'Page.domContentEventFired',
  'Page.loadEventFired',
  'Page.navigatedWithinDocument',
] as const;
const NETWORK_TARGETS = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);
const SENSITIVE = /^(cookie|set-cookie|authorization|proxy-authorization)$/i;

interface Run {
  path: string;
  mode: NonNullable<NetLogOptions['captureMode']>;
  maxFileSize: number;
  messages: HarMessage[];
  size: number;
  /** Undoes each listener and Network use. */
  undo: Array<() => void>;
  /** Kept responses whose body is read once their load finishes (everything mode), by request id. */
  awaitingBody: Map<string, { response: { body?: string } }>;
  /** Response bodies being read (everything mode). */
  bodies: Array<Promise<unknown>>;
  attached: Promise<void>;
}

/**
 * `ses.netLog`: the session's network activity, from every page, frame and
 * worker of the session, written at `stopLogging()` as a HAR file (HTTP
 * Archive 1.2, which browsers' DevTools and HAR viewers open). Chrome's own
 * NetLog can be had only for a whole browser and from its start
 * (`--log-net-log`); CDP offers it for no session, so this is the standard
 * format made from Chrome's Network events (chrome-har).
 */
export class NetLog {
  readonly #backend: BackendGetter;
  #run: Run | undefined;

  /** @internal */
  constructor(backend: BackendGetter) {
    this.#backend = backend;
  }

  get currentlyLogging(): boolean {
    return this.#run !== undefined;
  }

  /** Starts recording the session's requests; the file is written when `stopLogging()` is called (or at quit). */
  startLogging(path: string, options: NetLogOptions = {}): Promise<void> {
    if (typeof path !== 'string' || !path) throw new TypeError('The first parameter must be a valid string');
    if (options.captureMode !== undefined && !CAPTURE_MODES.includes(options.captureMode)) throw new TypeError('Invalid value for captureMode');
    if (options.maxFileSize !== undefined && typeof options.maxFileSize !== 'number') throw new TypeError('Invalid value for maxFileSize');
    if (this.#run) throw new Error('There is already a net log running');
    const run: Run = {
      path,
      mode: options.captureMode ?? 'default',
      maxFileSize: options.maxFileSize ?? Number.POSITIVE_INFINITY,
      messages: [],
      size: 0,
      undo: [],
      awaitingBody: new Map(),
      bodies: [],
      attached: Promise.resolve(),
    };
    this.#run = run;
    // A log still running at quit is written then, as Electron finalises it.
    const atQuit = (): Promise<void> => (this.#run === run ? this.stopLogging().catch((error: unknown) => debug.ignored('net log at quit: %s', error)) : Promise.resolve());
    runtime.closeHooks.add(atQuit);
    run.undo.push(() => runtime.closeHooks.delete(atQuit));
    run.attached = this.#attach(run);
    return keepAlive(
      run.attached.catch((error: unknown) => {
        this.#detach(run);
        if (this.#run === run) this.#run = undefined;
        throw error;
      }),
    );
  }

  /** Stops recording and writes the HAR file. */
  stopLogging(): Promise<void> {
    const run = this.#run;
    if (!run) return Promise.reject(new Error('No net log in progress'));
    this.#run = undefined;
    return keepAlive(this.#finish(run));
  }

  async #attach(run: Run): Promise<void> {
    // The file must be writable now, as Chrome's net log opens it at start.
    await writeFile(run.path, '');
    const { targets } = await this.#backend();
    if (this.#run !== run) return;
    run.undo.push(targets.addAttachHook((client, info) => this.#watch(run, client, info)));
    await targets.forEachClient((client, record) => this.#watch(run, client, record.targetInfo));
  }

  async #finish(run: Run): Promise<void> {
    await run.attached.catch(() => undefined);
    this.#detach(run);
    await Promise.allSettled(run.bodies);
    const har = harFromMessages(run.messages, { includeTextFromResponseBody: run.mode === 'everything' });
    har.log.creator = { name: 'chrome-session', version: '0.1.0' };
    await writeFile(run.path, JSON.stringify(har, null, 2));
  }

  #detach(run: Run): void {
    for (const undo of run.undo.splice(0)) undo();
  }

  async #watch(run: Run, client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (!NETWORK_TARGETS.has(info.type) || this.#run !== run) return;
    for (const method of EVENTS) {
      const listener = (params: unknown): void => this.#record(run, client, method, params);
      client.on(method, listener as never);
      run.undo.push(() => client.off(method, listener as never));
    }
    const using = useNetwork(client).then((release) => run.undo.push(release));
    // A paused service worker answers only once it runs: its Network.enable is not waited for.
    if (info.type === 'service_worker') using.catch((error: unknown) => debug.ignored('net log on a service worker: %s', error));
    else await using;
  }

  #record(run: Run, client: CdpSession, method: string, params: unknown): void {
    if (this.#run !== run) return;
    if (run.mode === 'everything' && method === 'Network.loadingFinished') this.#readBody(run, client, (params as Protocol.Network.LoadingFinishedEvent).requestId);
    const kept = run.mode === 'default' ? stripped(params) : params;
    const size = JSON.stringify(kept).length;
    if (run.size + size > run.maxFileSize) return;
    run.size += size;
    run.messages.push({ method, params: kept });
    if (run.mode === 'everything' && method === 'Network.responseReceived') {
      const received = kept as Protocol.Network.ResponseReceivedEvent & { response: { body?: string } };
      run.awaitingBody.set(received.requestId, received);
    }
  }

  /** Puts a finished response's body on its kept `responseReceived`, where chrome-har reads it. */
  #readBody(run: Run, client: CdpSession, requestId: string): void {
    const received = run.awaitingBody.get(requestId);
    if (!received) return;
    run.awaitingBody.delete(requestId);
    const reading = client
      .send('Network.getResponseBody', { requestId })
      .then(({ body, base64Encoded }) => void (received.response.body = base64Encoded ? Buffer.from(body, 'base64').toString('latin1') : body))
      .catch((error: unknown) => debug.ignored('net log body: %s', error));
    run.bodies.push(reading);
  }
}

/** The default capture mode: cookie and credential header values left out, as Chrome's NetLog leaves them out. */
function stripped(params: unknown): unknown {
  const copy = structuredClone(params) as Record<string, any>;
  const strip = (headers: Record<string, string> | undefined): void => {
    if (!headers) return;
    for (const name of Object.keys(headers)) if (SENSITIVE.test(name)) headers[name] = `[${String(headers[name]).length} bytes were stripped]`;
  };
  strip(copy.headers);
  strip(copy.request?.headers);
  strip(copy.response?.headers);
  strip(copy.response?.requestHeaders);
  delete copy.associatedCookies;
  delete copy.blockedCookies;
  return copy;
}

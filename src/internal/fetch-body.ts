import { sendMayFail, type CdpSession } from '../../protocol/cdp-session.js';
import { keepAlive } from './keep-alive.js';

/** What the helper page's fetch answers with: the response's head (its body stays in the page, to be read). */
export interface PageResult {
  error?: string;
  status?: number;
  statusText?: string;
  headers?: Array<[string, string]>;
  type?: string;
  /** The body is in the page, under the request's id, for `bodyStream` to read. */
  streaming?: boolean;
}

/** How much of a body one read brings over: one round trip per MiB (or per chunk Chrome has, when fewer). */
const READ_BYTES = 1 << 20;

/** What the helper page keeps (types only: the page functions below are sent as their source). */
interface PageScope {
  __csAbort?: Map<number, AbortController>;
  __csBodies?: Map<number, { reader: ReadableStreamDefaultReader<Uint8Array>; pending?: Promise<ReadableStreamReadResult<Uint8Array>> }>;
}

/* c8 ignore start: runs in the helper page */
/** The page's fetch: resolves with the head once Chrome has it; the body's reader is kept for pageRead. */
export async function pageFetch(url: string, init: Record<string, unknown> & { headers: Array<[string, string]>; body: string | null }, id: number): Promise<PageResult> {
  const scope = globalThis as unknown as PageScope;
  const controller = new AbortController();
  (scope.__csAbort ??= new Map()).set(id, controller);
  try {
    const request: RequestInit = { ...(init as RequestInit), signal: controller.signal, body: null };
    if (init.body !== null) request.body = Uint8Array.from(atob(init.body), (c) => c.charCodeAt(0));
    const response = await fetch(url, request);
    const headers: Array<[string, string]> = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    const streaming = response.body !== null;
    if (response.body) (scope.__csBodies ??= new Map()).set(id, { reader: response.body.getReader() });
    else scope.__csAbort.delete(id);
    return { status: response.status, statusText: response.statusText, headers, type: response.type, streaming };
  } catch (error) {
    scope.__csAbort.delete(id);
    return { error: String(error) };
  }
}

/**
 * The next bytes of body `id`, base64: the next chunk (waiting for it), and
 * with it what else is there at once, up to `max`; a read still pending is
 * kept for the next call.
 */
async function pageRead(id: number, max: number): Promise<{ chunk: string; done: boolean; error?: string }> {
  const scope = globalThis as unknown as PageScope;
  const body = scope.__csBodies?.get(id);
  if (!body) return { chunk: '', done: true, error: 'the body is gone' };
  const next = (): Promise<ReadableStreamReadResult<Uint8Array>> => (body.pending ??= body.reader.read());
  const parts: Uint8Array[] = [];
  let size = 0;
  let done = false;
  try {
    for (let first = true; size < max; first = false) {
      const read = next();
      const ready = first ? await read : await Promise.race([read, new Promise<undefined>((resolve) => setTimeout(resolve, 0))]);
      if (!ready) break;
      body.pending = undefined;
      if (ready.done) {
        done = true;
        break;
      }
      parts.push(ready.value);
      size += ready.value.length;
    }
  } catch (error) {
    scope.__csBodies?.delete(id);
    scope.__csAbort?.delete(id);
    return { chunk: '', done: true, error: String(error) };
  }
  if (done) {
    scope.__csBodies?.delete(id);
    scope.__csAbort?.delete(id);
  }
  let binary = '';
  for (const part of parts) for (let i = 0; i < part.length; i += 0x8000) binary += String.fromCharCode(...part.subarray(i, i + 0x8000));
  return { chunk: btoa(binary), done };
}

/** Drops body `id` (its request is cancelled). */
function pageCancel(id: number): void {
  const scope = globalThis as unknown as PageScope;
  void scope.__csBodies?.get(id)?.reader.cancel().catch(() => undefined);
  scope.__csBodies?.delete(id);
  scope.__csAbort?.delete(id);
}
/* c8 ignore stop */

/** Asks the helper page to drop body `id`. */
export function cancelBody(client: CdpSession, id: number): void {
  void sendMayFail(client, 'Runtime.evaluate', { expression: `(${pageCancel.toString()})(${id})` });
}

/**
 * The body of a helper page's response as a stream: read from the page as it
 * is consumed (a read brings what Chrome has, up to a MiB), so a large body is
 * never held whole on either side. `finished` runs once, when it ends, fails,
 * is cancelled or aborted, or is garbage collected unread; `failure` names the
 * error of a body that broke off. As in Electron (and any fetch), a body left
 * unread holds its request open in Chrome until then: read it or cancel it.
 *
 * Nothing `finished` or `abort` hold may reach the stream (only `BodyState`,
 * whose controller is a weak reference), or it could never be collected.
 */
export function bodyStream(client: CdpSession, id: number, finished: () => void, failure: (pageError: string) => Error): Body {
  const state: BodyState = { client, id, ended: false, finished, controller: undefined };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        state.controller = new WeakRef(controller);
      },
      async pull(controller) {
        if (state.ended) return;
        let read: { chunk: string; done: boolean; error?: string };
        try {
          // Kept alive: the script may wait on nothing but this body.
          const { result } = await keepAlive(
            client.send('Runtime.evaluate', { expression: `(${pageRead.toString()})(${id}, ${READ_BYTES})`, awaitPromise: true, returnByValue: true }),
          );
          read = (result.value as typeof read | undefined) ?? { chunk: '', done: true, error: 'the read gave nothing' };
        } catch {
          read = { chunk: '', done: true, error: 'the fetch helper closed' };
        }
        if (state.ended) return;
        if (read.chunk) controller.enqueue(new Uint8Array(Buffer.from(read.chunk, 'base64')));
        if (read.error !== undefined || read.done) end(state);
        if (read.error !== undefined) controller.error(failure(read.error));
        else if (read.done) controller.close();
      },
      cancel: () => letGo(state),
    },
    { highWaterMark: 0 },
  );
  unread.register(stream, state);
  return { stream, abort: (reason) => abortBody(state, reason) };
}

/** A response body streamed from the helper page, and how to break it off (an AbortSignal). */
export interface Body {
  stream: ReadableStream<Uint8Array>;
  abort(reason: unknown): void;
}

interface BodyState {
  readonly client: CdpSession;
  readonly id: number;
  ended: boolean;
  readonly finished: () => void;
  controller: WeakRef<ReadableStreamDefaultController<Uint8Array>> | undefined;
}

function end(state: BodyState): void {
  if (state.ended) return;
  state.ended = true;
  state.finished();
}

/** Ends a body not read to its end: the page drops it, its request is cancelled. */
function letGo(state: BodyState): void {
  if (state.ended) return;
  cancelBody(state.client, state.id);
  end(state);
}

function abortBody(state: BodyState, reason: unknown): void {
  if (state.ended) return;
  letGo(state);
  state.controller?.deref()?.error(reason);
}

// A body nobody can read any more (its Response dropped unread) lets its request and helper page go.
const unread = new FinalizationRegistry<BodyState>(letGo);

import { Readable } from 'node:stream';

/** Headers Node.js keeps one value of (https://nodejs.org/api/http.html#messageheaders). */
const SINGLE_VALUED = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

const CHUNK = 64 * 1024;

/** What a response brought, as ClientRequest hands it over. */
export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  /** One pair per value, in the server's case and order. */
  rawHeaders: Array<[string, string]>;
  /** `1.1`, `2.0`... */
  httpVersion: string;
}

/**
 * Electron's IncomingMessage: a response of `net.request`, a Readable of its
 * body, which flows as Chrome receives it (read from the session's page as
 * this stream is read).
 */
export class IncomingMessage extends Readable {
  readonly #head: ResponseHead;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  /** @internal */
  constructor(head: ResponseHead, body: ReadableStream<Uint8Array> | null) {
    super();
    this.#head = head;
    this.#reader = body?.getReader();
  }

  get statusCode(): number {
    return this.#head.statusCode;
  }

  get statusMessage(): string {
    return this.#head.statusMessage;
  }

  /** Lowercased names; repeated values joined with `, ` (the first kept for single-valued ones); `set-cookie` always an array. */
  get headers(): Record<string, string | string[]> {
    return shapeHeaders(this.#head.rawHeaders);
  }

  get rawHeaders(): string[] {
    return this.#head.rawHeaders.flat();
  }

  get httpVersion(): string {
    return this.#head.httpVersion;
  }

  get httpVersionMajor(): number {
    return Number(this.#head.httpVersion.split('.')[0]);
  }

  get httpVersionMinor(): number {
    return Number(this.#head.httpVersion.split('.')[1] ?? 0);
  }

  get trailers(): never {
    throw new Error('HTTP trailers are not supported');
  }

  get rawTrailers(): never {
    throw new Error('HTTP trailers are not supported');
  }

  override _read(): void {
    const reader = this.#reader;
    if (!reader) {
      this.push(null);
      return;
    }
    reader
      .read()
      .then(({ done, value }) => {
        if (done) this.push(null);
        else for (let offset = 0; offset < value.length; offset += CHUNK) this.push(Buffer.from(value.subarray(offset, offset + CHUNK)));
      })
      .catch((error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A body nobody reads to its end is let go (the request in Chrome is cancelled).
    this.#reader?.cancel().catch(() => undefined);
    callback(error);
  }
}

/** Node's rules for `message.headers`, from the header lines of a response. */
export function shapeHeaders(lines: Array<[string, string]>): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of grouped) {
    if (name === 'set-cookie') headers[name] = values;
    else headers[name] = SINGLE_VALUED.has(name) ? values[0]! : values.join(', ');
  }
  return headers;
}

/** `responseHeaders` of the 'redirect' event: every value in an array. */
export function headerArrays(lines: Array<[string, string]>): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of lines) (headers[name.toLowerCase()] ??= []).push(value);
  return headers;
}

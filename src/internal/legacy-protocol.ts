import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { Readable } from 'node:stream';
import type { Protocol as Cdp } from '../../protocol/cdp-types.js';

/** What a handler's answer becomes for Chrome. */
export type Served =
  | { kind: 'fulfill'; status: number; statusText: string; headers: Cdp.Fetch.HeaderEntry[]; body: Buffer }
  | { kind: 'fail'; reason: Cdp.Network.ErrorReason; unexpected?: boolean };

/** The request a deprecated `register*Protocol` handler gets. */
export interface ProtocolRequest {
  url: string;
  referrer: string;
  method: string;
  headers: Record<string, string>;
  uploadData?: Array<{ type: 'rawData'; bytes: Buffer }>;
}

/** What a deprecated handler answers (all optional; `data`, `path` or `url` says where the body comes from). */
export interface ProtocolResponse {
  error?: number;
  statusCode?: number;
  charset?: string;
  mimeType?: string;
  headers?: Record<string, string | string[]>;
  data?: string | Buffer | NodeJS.ReadableStream | null;
  path?: string;
  url?: string;
  method?: string;
  referrer?: string;
  uploadData?: { contentType: string; data: string | Buffer };
}

export type LegacyKind = 'string' | 'buffer' | 'file' | 'http' | 'stream' | 'any';
export type LegacyHandler = (request: ProtocolRequest, callback: (response?: unknown) => void) => void;

const FAILED: Served = { kind: 'fail', reason: 'Failed' };
const REASONS: Record<number, Cdp.Network.ErrorReason> = { [-3]: 'Aborted', [-10]: 'AccessDenied', [-20]: 'BlockedByClient', [-105]: 'NameNotResolved' };

/** Serves a request with a callback-style handler of the deprecated API. */
export function legacyResponder(kind: LegacyKind, handler: LegacyHandler): (request: Request) => Promise<Served> {
  return async (request) => {
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const details: ProtocolRequest = {
      url: request.url,
      referrer: request.headers.get('referer') ?? '',
      method: request.method,
      headers: headersRecord(request.headers),
    };
    if (body) details.uploadData = [{ type: 'rawData', bytes: body }];
    const answer = await new Promise<unknown>((resolve) => {
      try {
        handler(details, (response) => resolve(response));
      } catch (error) {
        console.error(error);
        resolve(undefined);
      }
    });
    try {
      return await serveAnswer(kind, answer);
    } catch {
      return FAILED;
    }
  };
}

async function serveAnswer(kind: LegacyKind, answer: unknown): Promise<Served> {
  if (answer === undefined || answer === null) return FAILED;
  const response: ProtocolResponse = isPlainResponse(answer, kind) ? (answer as ProtocolResponse) : wrap(kind, answer);
  if (typeof response.error === 'number') return { kind: 'fail', reason: REASONS[response.error] ?? 'Failed' };
  const effective = kind === 'any' ? guessKind(response) : kind;
  switch (effective) {
    case 'string':
      if (typeof response.data !== 'string') return FAILED;
      return simple(response, Buffer.from(response.data, (response.charset ?? 'utf-8') === 'utf-8' ? 'utf8' : 'latin1'));
    case 'buffer':
      if (!Buffer.isBuffer(response.data)) return FAILED;
      return simple(response, response.data);
    case 'file':
      if (typeof response.path !== 'string' || !isAbsolute(response.path)) return FAILED;
      return simple(response, await readFile(response.path));
    case 'stream': {
      const data = response.data;
      const bytes = data === null || data === undefined ? Buffer.alloc(0) : await collect(data);
      return fulfil(response.statusCode ?? 200, headerList(response.headers), bytes);
    }
    case 'http': {
      if (typeof response.url !== 'string') return FAILED;
      // Fetched by Node, not by the session's Chrome: its cookies and proxy do not apply.
      const upstream = await fetch(response.url, {
        method: response.method ?? 'GET',
        ...(response.uploadData ? { body: new Uint8Array(Buffer.from(response.uploadData.data)) } : {}),
      });
      const headers: Cdp.Fetch.HeaderEntry[] = [];
      upstream.headers.forEach((value, name) => headers.push({ name, value }));
      return fulfil(upstream.status, headers, Buffer.from(await upstream.arrayBuffer()), upstream.statusText);
    }
    default:
      return FAILED;
  }
}

function isPlainResponse(answer: unknown, kind: LegacyKind): boolean {
  if (typeof answer !== 'object' || Buffer.isBuffer(answer)) return false;
  return !(kind === 'stream' && isStream(answer));
}

/** The short forms: a string, a Buffer, a file path, a stream. */
function wrap(kind: LegacyKind, answer: unknown): ProtocolResponse {
  if (kind === 'file' && typeof answer === 'string') return { path: answer };
  if (kind === 'http') return {};
  return { data: answer as ProtocolResponse['data'] };
}

function guessKind(response: ProtocolResponse): LegacyKind {
  if (typeof response.data === 'string') return 'string';
  if (Buffer.isBuffer(response.data)) return 'buffer';
  if (isStream(response.data)) return 'stream';
  if (typeof response.path === 'string') return 'file';
  if (typeof response.url === 'string') return 'http';
  return 'string';
}

/** String, buffer and file answers: MIME type and charset, and `Access-Control-Allow-Origin: *`. */
function simple(response: ProtocolResponse, body: Buffer): Served {
  const headers = headerList(response.headers);
  if (!headers.some((h) => h.name.toLowerCase() === 'content-type')) {
    headers.push({ name: 'Content-Type', value: `${response.mimeType ?? 'text/html'}; charset=${response.charset ?? 'utf-8'}` });
  }
  if (!headers.some((h) => h.name.toLowerCase() === 'access-control-allow-origin')) headers.push({ name: 'Access-Control-Allow-Origin', value: '*' });
  return fulfil(response.statusCode ?? 200, headers, body);
}

function fulfil(status: number, headers: Cdp.Fetch.HeaderEntry[], body: Buffer, statusText = ''): Served {
  return { kind: 'fulfill', status, statusText, headers, body };
}

function headerList(headers: ProtocolResponse['headers']): Cdp.Fetch.HeaderEntry[] {
  const list: Cdp.Fetch.HeaderEntry[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Several values of one header are joined, as Electron's stream protocol does.
    list.push({ name, value: Array.isArray(value) ? value.join(', ') : String(value) });
  }
  return list;
}

function isStream(value: unknown): value is NodeJS.ReadableStream {
  return value instanceof Readable || (typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function');
}

async function collect(data: ProtocolResponse['data']): Promise<Buffer> {
  if (typeof data === 'string' || Buffer.isBuffer(data)) return Buffer.from(data);
  const chunks: Buffer[] = [];
  for await (const chunk of data as AsyncIterable<unknown>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function headersRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => (record[name] = value));
  return record;
}

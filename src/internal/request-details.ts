import type { Protocol } from '../../protocol/cdp-types.js';
import type { WebContents } from '../web-contents.js';
import type { WebFrameMain } from '../web-frame-main.js';

/** Electron's `resourceType` values. */
export type ResourceType =
  | 'mainFrame'
  | 'subFrame'
  | 'stylesheet'
  | 'script'
  | 'image'
  | 'font'
  | 'object'
  | 'xhr'
  | 'ping'
  | 'cspReport'
  | 'media'
  | 'webSocket'
  | 'other';

export interface UploadRawData {
  type: 'rawData';
  bytes: Buffer;
}

export interface RequestDetailsBase {
  /** Stable across the stages (and redirects) of one request. */
  id: number;
  url: string;
  method: string;
  webContentsId?: number;
  webContents?: WebContents;
  /** The frame that made the request; null for workers, service workers and `ses.fetch`. */
  frame: WebFrameMain | null;
  resourceType: ResourceType;
  referrer: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export interface OnBeforeRequestDetails extends RequestDetailsBase {
  uploadData?: UploadRawData[];
}
export interface OnBeforeSendHeadersDetails extends RequestDetailsBase {
  requestHeaders: Record<string, string>;
  uploadData?: UploadRawData[];
}
export interface OnSendHeadersDetails extends RequestDetailsBase {
  requestHeaders: Record<string, string>;
}
export interface OnHeadersReceivedDetails extends RequestDetailsBase {
  statusLine: string;
  statusCode: number;
  responseHeaders: Record<string, string[]>;
}
export interface OnResponseStartedDetails extends RequestDetailsBase {
  responseHeaders: Record<string, string[]>;
  fromCache: boolean;
  statusCode: number;
  statusLine: string;
  ip?: string;
}
export interface OnBeforeRedirectDetails extends OnResponseStartedDetails {
  redirectURL: string;
}
export interface OnCompletedDetails extends OnResponseStartedDetails {
  error: string;
}
export interface OnErrorOccurredDetails extends RequestDetailsBase {
  fromCache: boolean;
  /** Chrome's error, e.g. `net::ERR_BLOCKED_BY_CLIENT`. */
  error: string;
}

export interface BeforeRequestResponse {
  cancel?: boolean;
  redirectURL?: string;
}
export interface BeforeSendHeadersResponse {
  cancel?: boolean;
  requestHeaders?: Record<string, string | string[]>;
}
export interface HeadersReceivedResponse {
  cancel?: boolean;
  responseHeaders?: Record<string, string | string[]>;
  statusLine?: string;
}

const FROM_CDP: Partial<Record<Protocol.Network.ResourceType, ResourceType>> = {
  Stylesheet: 'stylesheet',
  Script: 'script',
  Image: 'image',
  Font: 'font',
  XHR: 'xhr',
  Fetch: 'xhr',
  Ping: 'ping',
  CSPViolationReport: 'cspReport',
  Media: 'media',
  WebSocket: 'webSocket',
};

/** Chrome's resource types for each of Electron's (for interception patterns). */
export const TO_CDP: Record<Exclude<ResourceType, 'other'>, Protocol.Network.ResourceType[]> = {
  mainFrame: ['Document'],
  subFrame: ['Document'],
  stylesheet: ['Stylesheet'],
  script: ['Script'],
  image: ['Image'],
  font: ['Font'],
  object: ['Other'],
  xhr: ['XHR', 'Fetch'],
  ping: ['Ping'],
  cspReport: ['CSPViolationReport'],
  media: ['Media'],
  webSocket: ['WebSocket'],
};

/** A document is the main frame's when it loads in a page target's own frame (whose id is the target's). */
export function resourceTypeOf(type: Protocol.Network.ResourceType | undefined, frameId: string | undefined, target: { type: string; targetId: string }): ResourceType {
  if (type === 'Document') return target.type === 'page' && frameId === target.targetId ? 'mainFrame' : 'subFrame';
  return (type && FROM_CDP[type]) ?? 'other';
}

/** CDP joins repeated headers with a newline; Electron lists them. */
export function responseHeadersOf(headers: Protocol.Network.Headers | Protocol.Fetch.HeaderEntry[] | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const entries: Array<[string, unknown]> = Array.isArray(headers) ? headers.map((h) => [h.name, h.value]) : Object.entries(headers ?? {});
  const names = new Map<string, string>();
  for (const [name, value] of entries) {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    (result[key] ??= []).push(...String(value).split('\n'));
  }
  return result;
}

export function requestHeadersOf(headers: Protocol.Network.Headers): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name] = String(value);
  return result;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Header entries for Chrome; an invalid name or a value with CR/LF is dropped (Electron 43+). */
export function headerEntries(headers: Record<string, string | string[]>): Protocol.Fetch.HeaderEntry[] {
  const entries: Protocol.Fetch.HeaderEntry[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) continue;
    // Chrome keeps one value per name: several are joined, as HTTP allows.
    const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    if (!/[\r\n]/.test(text)) entries.push({ name, value: text });
  }
  return entries;
}

export function statusLineOf(code: number, text: string, protocol?: string): string {
  const version = protocol === 'h2' ? 'HTTP/2.0' : protocol === 'h3' ? 'HTTP/3.0' : 'HTTP/1.1';
  return text ? `${version} ${code} ${text}` : `${version} ${code}`;
}

/** `HTTP/1.1 201 Created` → [201, 'Created']; undefined when it is not a status line. */
export function parseStatusLine(line: string): [number, string] | undefined {
  const match = /^HTTP\/[\d.]+\s+(\d{3})(?:\s+(.*))?$/i.exec(line.trim());
  return match ? [Number(match[1]), match[2] ?? ''] : undefined;
}

export function uploadDataOf(request: Protocol.Network.Request): UploadRawData[] | undefined {
  if (!request.hasPostData) return undefined;
  const entries = request.postDataEntries ?? [];
  if (entries.length === 0 && request.postData !== undefined) return [{ type: 'rawData', bytes: Buffer.from(request.postData) }];
  return entries.map((entry) => ({ type: 'rawData' as const, bytes: Buffer.from(entry.bytes ?? '', 'base64') }));
}

export function referrerOf(headers: Protocol.Network.Headers): string {
  const value = headers.Referer ?? headers.referer;
  return typeof value === 'string' ? value : '';
}

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { DownloadItem } from '../download-item.js';
import type { WebContents } from '../web-contents.js';

/** A transfer asked of a helper page, waiting for Chrome to begin it. */
export interface Requested {
  webContents: WebContents | null;
  began: () => void;
  /** The response headers, seen by interception before Chrome saves the body. */
  headers: Protocol.Fetch.HeaderEntry[];
  /** Set when the transfer continues an item (a resume): no new 'will-download'. */
  resumes?: Entry | undefined;
  /** The headers asked for, kept for a resume. */
  requestHeaders?: Record<string, string> | undefined;
  /** The URL asked for, then each one it redirected to. */
  chain: string[];
}

/** One DownloadItem and the transfers behind it. */
export interface Entry {
  readonly item: DownloadItem;
  readonly url: string;
  /** Chrome's transfer now running, if any. */
  guid: string | undefined;
  cancelled: boolean;
  paused: boolean;
  /** The bytes kept from before a pause (or given to createInterruptedDownload), and their count. */
  partial: string | undefined;
  offset: number;
  headers: Record<string, string> | undefined;
}

export interface InterruptedDownloadOptions {
  path: string;
  urlChain: string[];
  mimeType?: string;
  offset: number;
  length: number;
  lastModified?: string;
  eTag?: string;
  startTime?: number;
}


/** What the router hands a Chrome's download events to: one session's downloads. */
export interface DownloadSink {
  /** True when the download is this session's (its frame is in the session's context). */
  willBegin(event: Protocol.Browser.DownloadWillBeginEvent): boolean;
  progress(event: Protocol.Browser.DownloadProgressEvent): void;
  owns(guid: string): boolean;
}

/**
 * One subscription to a Chrome's download events, however many sessions it
 * hosts: a download begins in the session whose context has its frame, and
 * its progress goes to the session that took it.
 */
class DownloadRouter {
  readonly #sessions = new Set<DownloadSink>();
  readonly #owners = new Map<string, DownloadSink>();

  constructor(root: CdpSession) {
    root.on('Browser.downloadWillBegin', (event) => {
      for (const downloads of this.#sessions) {
        if (downloads.willBegin(event)) {
          this.#owners.set(event.guid, downloads);
          return;
        }
      }
    });
    root.on('Browser.downloadProgress', (event) => {
      const owner = this.#owners.get(event.guid) ?? [...this.#sessions].find((downloads) => downloads.owns(event.guid));
      if (!owner) return;
      if (event.state !== 'inProgress') this.#owners.delete(event.guid);
      owner.progress(event);
    });
  }

  add(downloads: DownloadSink): () => void {
    this.#sessions.add(downloads);
    return () => this.#sessions.delete(downloads);
  }
}

const routers = new WeakMap<CdpSession, DownloadRouter>();

export function routerOf(root: CdpSession): DownloadRouter {
  let router = routers.get(root);
  if (!router) {
    router = new DownloadRouter(root);
    routers.set(root, router);
  }
  return router;
}

/** Appends the file `from` to the file `to`, synchronously: a snapshot at pause time. */
export function copyAppend(from: string, to: string): void {
  appendFileSync(to, readFileSync(from));
}

/** `name.ext`, else `name (1).ext`, `name (2).ext`…, as Chrome names downloads. */
export function uniquePath(directory: string, filename: string): string {
  const extension = extname(filename);
  const stem = basename(filename, extension);
  let candidate = join(directory, filename);
  for (let n = 1; existsSync(candidate); n++) candidate = join(directory, `${stem} (${n})${extension}`);
  return candidate;
}

export async function move(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

/** downloadURL's arguments, with Electron's errors; the headers to send. */
export function checkDownloadURL(url: unknown, options: { headers?: Record<string, string> } | undefined): Record<string, string> | undefined {
  if (typeof url !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  const headers = options?.headers;
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) {
    throw new TypeError('Invalid value for headers - must be an object');
  }
  return headers;
}

/** createInterruptedDownload's options, with Electron's errors; the offset to resume from. */
export function checkInterruptedDownload(options: { path?: unknown; urlChain?: unknown; length?: unknown; offset?: unknown } | undefined): number {
  const { path, urlChain, length } = options ?? {};
  if (typeof path !== 'string' || !path || !Array.isArray(urlChain) || urlChain.length === 0 || !length) {
    throw new Error('Must pass non-empty path, urlChain and length.');
  }
  const offset = Number(options?.offset ?? 0);
  if (offset >= Number(length)) throw new Error('Must pass an offset value less than length.');
  return offset;
}

import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import type { TargetManager } from '../../protocol/target-manager.js';
import { useNetwork } from './network-domain.js';

/** Targets whose requests go through the context's HTTP cache. */
const TARGETS = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);
/**
 * Chrome's in-memory cache: 2% of the machine's memory up to 50 MB (any
 * machine with more than 2.5 GB), an entry at most an eighth of it.
 */
const MAX_BYTES = 50 * 1024 * 1024;
const MAX_ENTRY_BYTES = MAX_BYTES / 8;

interface Seen {
  url: string;
  method: string;
  documentUrl: string;
  response?: Protocol.Network.Response;
  decodedBytes: number;
}

/**
 * `getCacheSize()` of an in-memory session. Chrome keeps that cache in memory
 * and reports no size for it anywhere (no CDP command; no memory-infra dump in
 * Chromium 156), so it is derived: from the session's first `getCacheSize()`
 * on, every page, frame and worker of the session has the Network domain on,
 * and each response Chrome's cache would store (a GET over http(s), not
 * `no-store`, not partial) counts as one entry per URL and document site:
 * its key, its headers and its body as received (encoded), as Chrome's memory
 * backend counts an entry; the oldest go beyond Chrome's 50 MB, entries over
 * an eighth of that are not kept. Cache hits of entries stored before that
 * first call are counted when they are seen. `clearCache()` empties it.
 */
export class CacheEstimate {
  readonly #entries = new Map<string, number>();
  /** The sum of `#entries`' bytes, kept as they change (every response passes here). */
  #total = 0;
  readonly #watched = new WeakSet<CdpSession>();
  #targets: TargetManager | undefined;
  #active = false;

  /** The session's context, each time it starts (a new Chrome's cache is empty). */
  attach(targets: TargetManager): void {
    this.#targets = targets;
    this.clear();
    if (this.#active) void targets.forEachClient((client, record) => this.configure(client, record.targetInfo));
  }

  /** Attach hook: once counting, every new target reports its responses. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (!this.#active || !TARGETS.has(info.type) || this.#watched.has(client)) return;
    this.#watched.add(client);
    this.#watch(client);
    const enabling = useNetwork(client);
    // A paused service worker answers only once it runs: not waited for.
    if (info.type === 'service_worker') enabling.catch((error: unknown) => debug.ignored('cache estimate on a service worker: %s', error));
    else await enabling;
  }

  /** The bytes counted; the first call starts counting on every target of the session. */
  async size(): Promise<number> {
    if (!this.#active) {
      this.#active = true;
      await this.#targets?.forEachClient((client, record) => this.configure(client, record.targetInfo));
    }
    return this.#total;
  }

  clear(): void {
    this.#entries.clear();
    this.#total = 0;
  }

  #watch(client: CdpSession): void {
    const seen = new Map<string, Seen>();
    client.on('Network.requestWillBeSent', ({ requestId, request, redirectResponse, documentURL }) => {
      const before = seen.get(requestId);
      // A redirect is stored as an entry of its own.
      if (before && redirectResponse) this.#store({ ...before, response: redirectResponse }, 0);
      seen.set(requestId, { url: request.url, method: request.method, documentUrl: documentURL, decodedBytes: 0 });
    });
    client.on('Network.responseReceived', ({ requestId, response }) => {
      const request = seen.get(requestId);
      if (request) request.response = response;
    });
    client.on('Network.dataReceived', ({ requestId, dataLength }) => {
      const request = seen.get(requestId);
      if (request) request.decodedBytes += dataLength;
    });
    client.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const request = seen.get(requestId);
      seen.delete(requestId);
      if (request) this.#store(request, encodedDataLength);
    });
    client.on('Network.loadingFailed', ({ requestId }) => seen.delete(requestId));
  }

  #store(request: Seen, encodedDataLength: number): void {
    const { response } = request;
    if (!response || request.method !== 'GET' || !/^https?:/.test(request.url) || response.fromServiceWorker) return;
    const header = (name: string): string =>
      Object.entries(response.headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
    if (/(^|,)\s*no-store\b/i.test(header('cache-control')) || response.status === 206 || response.status === 304) return;
    const key = `${documentSite(request.documentUrl)} ${request.url.split('#')[0]}`;
    const fromCache = response.fromDiskCache || response.fromPrefetchCache;
    if (fromCache && this.#entries.has(key)) {
      // Used again: the most recent for eviction.
      const bytes = this.#entries.get(key)!;
      this.#entries.delete(key);
      this.#entries.set(key, bytes);
      return;
    }
    const headers = Object.entries(response.headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
    const body = fromCache
      ? Number(header('content-length')) || request.decodedBytes
      : Math.max(0, encodedDataLength - (response.encodedDataLength ?? 0));
    const bytes = key.length + headers + (response.statusText ?? '').length + 13 + body;
    this.#remove(key);
    if (bytes > MAX_ENTRY_BYTES) return;
    this.#entries.set(key, bytes);
    this.#total += bytes;
    for (const oldest of this.#entries.keys()) {
      if (this.#total <= MAX_BYTES) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    this.#total -= this.#entries.get(key) ?? 0;
    this.#entries.delete(key);
  }
}

/** The scheme and host a document's requests are keyed by in Chrome's split cache (approximated by its host). */
function documentSite(url: string): string {
  try {
    const { protocol, hostname } = new URL(url);
    return `${protocol}//${hostname}`;
  } catch {
    return '';
  }
}

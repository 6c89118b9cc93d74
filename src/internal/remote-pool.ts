import { BrowserHost, type HostGone } from './browser-host.js';
import { redactText, redactUrl } from '../../protocol/errors.js';

/** How long a lost endpoint is left alone before a new partition may try it again. */
const RETRY_MS = 5_000;

/** A browser elsewhere: its URL, and headers for a gateway in front of it. */
export interface BrowserEndpoint {
  url: string;
  headers?: Record<string, string>;
  /** WebDriver capabilities (Selenium Grid): merged over ours when a session is created there. */
  capabilities?: Record<string, unknown>;
  /** How often a WebDriver session is kept alive with a WebDriver command (Grid ignores CDP traffic). */
  keepAliveMs?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `app.setBrowserEndpoints`' argument, checked and copied. */
export function parseEndpoints(endpoints: unknown): BrowserEndpoint[] {
  if (!Array.isArray(endpoints)) throw new TypeError('Endpoints must be an array of browser URLs');
  return endpoints.map((endpoint: unknown) => {
    const given = (typeof endpoint === 'string' ? { url: endpoint } : (endpoint ?? {})) as Partial<Record<keyof BrowserEndpoint, unknown>>;
    const { url, headers, capabilities, keepAliveMs } = given;
    if (typeof url !== 'string' || !/^(wss?|https?):\/\/[^/]/.test(url)) throw new TypeError(`Browser endpoint must be ws://, wss://, http:// or https://, got '${redactUrl(String(url), { query: true })}'`);
    if (headers !== undefined && !isObject(headers)) throw new TypeError('Endpoint headers must be an object');
    if (capabilities !== undefined && !isObject(capabilities)) throw new TypeError('Endpoint capabilities must be an object');
    if (capabilities !== undefined && !/^https?:/.test(url)) throw new TypeError('Endpoint capabilities need an http(s):// WebDriver server URL');
    if (keepAliveMs !== undefined && !(typeof keepAliveMs === 'number' && keepAliveMs >= 1)) throw new TypeError('Endpoint keepAliveMs must be a positive number');
    return {
      url,
      ...(headers ? { headers: { ...(headers as Record<string, string>) } } : {}),
      ...(capabilities ? { capabilities: structuredClone(capabilities) } : {}),
      ...(keepAliveMs ? { keepAliveMs } : {}),
    };
  });
}

interface Endpoint extends Readonly<BrowserEndpoint> {
  host: Promise<BrowserHost> | undefined;
  lostAt: number | undefined;
  /** Partitions placed on it since it was last reached. */
  placed: number;
}

export interface RemotePoolEvents {
  /** A connected browser went away (or could not be reached). */
  lost: (endpoint: string, reason: string) => void;
  /** A browser was reached: the runtime keeps it with its other hosts (quit closes our connection). */
  connected: (host: BrowserHost) => void;
}

/**
 * Browsers elsewhere, reached over CDP (`app.setBrowserEndpoints`). New
 * in-memory partitions go to the least loaded endpoint that is up; the
 * default session is the first endpoint's default context. A browser that
 * goes away takes its partitions' in-memory state with it: their next call
 * places them anew on a surviving endpoint. A lost endpoint is tried again
 * after a few seconds, so one that comes back is used again.
 */
export class RemotePool {
  readonly #endpoints: Endpoint[];
  readonly #events: RemotePoolEvents;

  /** Chrome switches for a browser that a WebDriver server starts for an endpoint. */
  readonly #args: (endpoint: string) => string[];

  constructor(endpoints: readonly BrowserEndpoint[], events: RemotePoolEvents, args: (endpoint: string) => string[]) {
    this.#endpoints = endpoints.map((endpoint) => ({ ...endpoint, host: undefined, lostAt: undefined, placed: 0 }));
    this.#events = events;
    this.#args = args;
  }

  /** The first endpoint's browser (the default session's). */
  first(): Promise<BrowserHost> {
    return this.#reach(this.#endpoints[0]!);
  }

  /** A browser for one more in-memory partition: the least loaded one that answers. */
  async place(): Promise<BrowserHost> {
    const now = Date.now();
    const usable = this.#endpoints.filter((endpoint) => endpoint.lostAt === undefined || now - endpoint.lostAt >= RETRY_MS);
    const failures: string[] = [];
    for (const endpoint of usable.sort((a, b) => a.placed - b.placed)) {
      // Counted before the wait, so partitions placed at the same time spread out too.
      endpoint.placed++;
      try {
        return await this.#reach(endpoint);
      } catch (error) {
        endpoint.placed = Math.max(0, endpoint.placed - 1);
        failures.push(`${redactUrl(endpoint.url, { query: true })}: ${redactText(error instanceof Error ? error.message : String(error))}`);
      }
    }
    throw new Error(`No browser endpoint could be reached${failures.length ? `:\n${failures.join('\n')}` : ' (all were lost in the last few seconds)'}`);
  }

  #reach(endpoint: Endpoint): Promise<BrowserHost> {
    if (endpoint.host) return endpoint.host;
    const reaching = BrowserHost.connect(endpoint.url, {
      headers: endpoint.headers,
      capabilities: endpoint.capabilities,
      keepAliveMs: endpoint.keepAliveMs,
      args: this.#args(endpoint.url),
    });
    endpoint.host = reaching;
    reaching.then(
      (host) => {
        endpoint.lostAt = undefined;
        this.#events.connected(host);
        host.onGone((gone) => this.#lose(endpoint, reaching, gone));
      },
      (error: unknown) => this.#lose(endpoint, reaching, undefined, error),
    );
    return reaching;
  }

  #lose(endpoint: Endpoint, reaching: Promise<BrowserHost>, gone: HostGone | undefined, error?: unknown): void {
    if (endpoint.host !== reaching) return;
    endpoint.host = undefined;
    endpoint.placed = 0;
    if (gone?.expected) return;
    endpoint.lostAt = Date.now();
    const reason = gone ? gone.error.message.split('\n')[0]! : error instanceof Error ? error.message : String(error);
    this.#events.lost(endpoint.url, reason);
  }
}

/** One way of driving Chrome, doing each scenario's work its own idiomatic way. */
export interface Driver {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** 1: a new isolated context, a page in it, load `url`, close the page (and the context where the API has that). */
  newContextLoadClose(url: string): Promise<void>;
  /** 1b: in one long-lived context, open a page, load `url`, close it. */
  reuseContextLoadClose(url: string): Promise<void>;
  /** 2: on one long-lived context, 150 concurrent cookie sets, one get-all, clear. */
  cookies150(origin: string): Promise<void>;
  /** 3: load the 50-subresource page in a long-lived page (no interception). */
  load50(url: string): Promise<void>;
  /** 3 with every request intercepted and continued; undefined where the API has no such thing yet. */
  load50Intercepted?: (url: string) => Promise<void>;
  /** 3 with interception whose URL filter matches nothing on the page; undefined where the API has no filter. */
  load50Unmatched?: (url: string) => Promise<void>;
  /** 3 in a context whose cookie-change events have a listener; only where the API has such events. */
  load50CookieListener?: (url: string) => Promise<void>;
  /** 6: load the 50-subresource page (`url`, a name only the proxy answers) in a long-lived page whose context uses the HTTP proxy `proxy`. */
  load50Proxied?: (url: string, proxy: string) => Promise<void>;
  /** 4: `contexts` contexts each loading `urls` one after another in one page, all at once. */
  throughput(contexts: number, urls: string[]): Promise<void>;
}

/** The closed-network switches every browser in the benchmark gets (DESIGN.md). */
export const CLOSED_NETWORK_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** A URL filter no request of the benchmark site matches. */
export const UNMATCHED = '*://no-such-host.invalid/*';

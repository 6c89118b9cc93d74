import type { Protocol } from '../../protocol/cdp-types.js';

/** What Chrome told us of a response beyond what the page's fetch sees. */
export interface Wire {
  /** The headers as the server sent them, Set-Cookie too, one pair per value (when Chrome reported them). */
  rawHeaders: Array<[string, string]> | undefined;
  /** Chrome's protocol name: `http/1.1`, `h2`... */
  protocol: string | undefined;
}

const kWire = Symbol('wire');
type WithWire = Response & { [kWire]?: Wire };

/** Records what Chrome told of `response` (SessionFetcher does, as it makes one). */
export function setWire(response: Response, wire: Wire): void {
  (response as WithWire)[kWire] = wire;
}

/** The wire facts of a response `SessionFetcher` made (none for other responses). */
export function wireOf(response: Response): Wire | undefined {
  return (response as WithWire)[kWire];
}

/** The header lines of a raw HTTP/1 response head (its status line skipped); undefined when there are none. */
export function headerBlock(text: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line) break;
    const colon = line.indexOf(':');
    if (colon > 0) pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return pairs.length ? pairs : undefined;
}

/** CDP joins a header's repeated values with newlines: one pair per value. */
export function headerLines(headers: Protocol.Network.Headers): Array<[string, string]> {
  return Object.entries(headers).flatMap(([name, value]) => String(value).split('\n').map((line): [string, string] => [name, line]));
}


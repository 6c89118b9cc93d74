/** What a host maps to under Chrome's `--host-resolver-rules`. */
export type HostMapping = { kind: 'host'; host: string; port?: number } | { kind: 'notFound' };

interface MapRule {
  pattern: RegExp;
  replacement: string;
}

/** Chrome's `MatchPattern`: `*` any run of characters, `?` one (or none at the end), case-insensitive here. */
function patternOf(glob: string): RegExp {
  const source = [...glob.toLowerCase()].map((c) => (c === '*' ? '.*' : c === '?' ? '.?' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

/**
 * Chrome's `--host-resolver-rules` (net's HostMappingRules), for what the
 * session resolves itself: comma-separated `MAP <pattern> <host>[:<port>]`
 * and `EXCLUDE <pattern>` rules. The first MAP rule whose pattern matches the
 * host (or `host:port`) applies unless an EXCLUDE rule matches the host;
 * `~NOTFOUND` as the replacement makes the name unresolvable. Rules Chrome
 * would reject are skipped.
 */
export class HostRules {
  readonly #maps: MapRule[] = [];
  readonly #excludes: RegExp[] = [];

  constructor(rules: string) {
    for (const rule of rules.split(/[,;]/)) {
      const parts = rule.trim().split(/\s+/);
      const verb = parts[0]?.toUpperCase();
      if (verb === 'MAP' && parts.length === 3) {
        this.#maps.push({ pattern: patternOf(parts[1]!), replacement: parts[2]!.toLowerCase() });
      } else if (verb === 'EXCLUDE' && parts.length === 2) {
        this.#excludes.push(patternOf(parts[1]!));
      }
    }
  }

  /** The mapping for `host` (resolved with `port`, 0 when none), or undefined when no rule applies. */
  map(host: string, port = 0): HostMapping | undefined {
    const name = host.toLowerCase();
    const rule = this.#maps.find(({ pattern }) => pattern.test(name) || pattern.test(`${name}:${port}`));
    if (!rule || this.#excludes.some((pattern) => pattern.test(name))) return undefined;
    if (rule.replacement === '~notfound') return { kind: 'notFound' };
    const replacedPort = portOf(rule.replacement);
    return { kind: 'host', host: hostOf(rule.replacement), ...(replacedPort ? { port: replacedPort } : {}) };
  }
}

let started: HostRules | undefined;

/** Keeps the rules the app's Chrome was started with (`--host-resolver-rules`), for the connections we make for it. */
export function useStartedRules(rules: string): void {
  started = rules ? new HostRules(rules) : undefined;
}

/**
 * Where a connection to `host:port` goes under the rules Chrome was started with: the
 * forwarder's direct connections stand in for Chrome's own, which Chrome would map.
 */
export function connectTarget(host: string, port: number): { host: string; port: number } | 'notFound' {
  const mapping = started?.map(host, port);
  if (!mapping) return { host, port };
  if (mapping.kind === 'notFound') return 'notFound';
  return { host: mapping.host, port: mapping.port ?? port };
}

/** The port of `host:port` (`[v6]:port` too), if the replacement names one. */
function portOf(replacement: string): number | undefined {
  const match = /^(?:\[[^\]]+\]|[^:]+):(\d+)$/.exec(replacement);
  return match ? Number(match[1]) : undefined;
}

/** The host part of `host[:port]` (an IPv6 literal in brackets keeps its address). */
function hostOf(replacement: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(replacement);
  if (bracketed) return bracketed[1]!;
  const colons = replacement.split(':').length - 1;
  return colons === 1 ? replacement.slice(0, replacement.indexOf(':')) : replacement;
}

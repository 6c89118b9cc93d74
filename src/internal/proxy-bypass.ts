import { BlockList, isIP } from 'node:net';

/** What a rule says of a URL: bypass the proxy, do not (`<-loopback>`), or nothing. */
type Verdict = 'bypass' | 'proxy' | undefined;
type Rule = (url: URL, host: string) => Verdict;

/**
 * `proxyBypassRules` as Chromium's ProxyBypassRules reads them: rules split on
 * `,` or `;`, malformed ones dropped, a later rule overriding an earlier one
 * (`<-loopback>;localhost` bypasses localhost, `localhost;<-loopback>` does not);
 * when none matches, the implicit rules (localhost, loopback, link-local) bypass.
 * - `<local>`: host names without a dot that are not IP literals;
 * - `<-loopback>`: the implicit rules no longer bypass (loopback is proxied);
 * - `[scheme://]host-pattern[:port]`, `*` wildcards, a leading `.` meaning `*.`;
 * - `[scheme://]ip-literal[:port]` (IPv6 in brackets) and `[scheme://]ip/prefix` (CIDR, any port,
 *   IPv6 unbracketed; IPv4 rules also match IPv4-mapped IPv6 hosts).
 * With `suffixMatching` (the `no_proxy` environment variable's dialect), `example.com` also matches `*example.com`.
 */
export class BypassRules {
  readonly #rules: readonly Rule[];
  /** Whether `<-loopback>` is among the rules. */
  readonly subtractsImplicit: boolean;

  constructor(text: string, options: { suffixMatching?: boolean } = {}) {
    const rules: Rule[] = [];
    let subtracts = false;
    for (const raw of text.split(/[,;]/)) {
      const trimmed = raw.trim();
      if (!trimmed) continue;
      const lower = trimmed.toLowerCase();
      if (lower === '<local>') rules.push((_url, host) => (!host.includes('.') && !isIP(host) ? 'bypass' : undefined));
      else if (lower === '<-loopback>') {
        subtracts = true;
        rules.push((url) => (matchesImplicitRules(url) ? 'proxy' : undefined));
      } else {
        const rule = parseRule(lower, options.suffixMatching ?? false);
        if (rule) rules.push(rule);
      }
    }
    this.#rules = rules;
    this.subtractsImplicit = subtracts;
  }

  /** Whether `url` goes direct, whatever the proxy rules say. */
  bypasses(url: URL): boolean {
    const host = unbracket(url.hostname);
    for (let index = this.#rules.length - 1; index >= 0; index--) {
      const verdict = this.#rules[index]!(url, host);
      if (verdict) return verdict === 'bypass';
    }
    return matchesImplicitRules(url);
  }
}

/** Chromium's implicit bypass: localhost and *.localhost, 127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10 (IPv4-mapped too). */
export function matchesImplicitRules(url: URL): boolean {
  const host = unbracket(url.hostname);
  const name = host.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && IMPLICIT.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

// BlockList matches IPv4 subnets against IPv4-mapped IPv6 addresses as well.
const IMPLICIT = new BlockList();
IMPLICIT.addSubnet('127.0.0.0', 8, 'ipv4');
IMPLICIT.addSubnet('169.254.0.0', 16, 'ipv4');
IMPLICIT.addAddress('::1', 'ipv6');
IMPLICIT.addSubnet('fe80::', 10, 'ipv6');

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443, 'ftp:': 21 };

function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? -1);
}

function parseRule(text: string, suffixMatching: boolean): Rule | undefined {
  let rest = text;
  let scheme: string | undefined;
  const separator = rest.indexOf('://');
  if (separator >= 0) {
    scheme = `${rest.slice(0, separator)}:`;
    rest = rest.slice(separator + 3);
  }
  const schemeMatches = (url: URL): boolean => scheme === undefined || url.protocol === scheme;
  if (rest.includes('/')) return cidrRule(rest, schemeMatches);
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(rest);
  if (!match || !match[1]) return undefined;
  const port = match[2] === undefined ? -1 : Number(match[2]);
  const portMatches = (url: URL): boolean => port === -1 || effectivePort(url) === port;
  const literal = unbracket(match[1]);
  if (isIP(literal)) {
    // A one-address BlockList compares addresses by value (`::0001` is `::1`).
    const family = isIP(literal);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    const single = new BlockList();
    single.addAddress(literal, type);
    return (url, host) => (schemeMatches(url) && portMatches(url) && isIP(host) === family && single.check(host, type) ? 'bypass' : undefined);
  }
  if (match[1].startsWith('[')) return undefined;
  let pattern = match[1].startsWith('.') ? `*${match[1]}` : match[1];
  if (suffixMatching && !pattern.startsWith('*')) pattern = `*${pattern}`;
  const glob = globToRegExp(pattern);
  return (url, host) => (schemeMatches(url) && portMatches(url) && glob.test(host) ? 'bypass' : undefined);
}

function cidrRule(text: string, schemeMatches: (url: URL) => boolean): Rule | undefined {
  const [address, bits] = text.split('/');
  // Chromium takes IPv6 prefixes unbracketed only (`a:b::/48`).
  const literal = address ?? '';
  const family = isIP(literal);
  const prefix = Number(bits);
  if (!family || !/^\d{1,3}$/.test(bits ?? '') || prefix > (family === 4 ? 32 : 128)) return undefined;
  const block = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  block.addSubnet(literal, prefix, type);
  return (url, host) => {
    const hostFamily = isIP(host);
    return schemeMatches(url) && hostFamily !== 0 && block.check(host, hostFamily === 6 ? 'ipv6' : 'ipv4') ? 'bypass' : undefined;
  };
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { lookup, Resolver } from 'node:dns/promises';
import { HostRules } from './host-rules.js';

export interface ResolveHostOptions {
  queryType?: 'A' | 'AAAA';
  /** `any` and `system`: the system resolver; `dns`: DNS queries only; `localOnly`: IP literals, localhost and the hosts file; `mdns`: none here. */
  source?: 'any' | 'system' | 'dns' | 'mdns' | 'localOnly';
  /** Accepted: there is no resolver cache here, each call resolves anew (so `disallowed` holds). */
  cacheUsage?: 'allowed' | 'staleAllowed' | 'disallowed';
  /** Accepted: no secure DNS is configured (so `disable` holds). */
  secureDnsPolicy?: 'allow' | 'disable';
}

type Endpoint = { address: string; family: 'ipv4' | 'ipv6' | 'unspec' };

export interface ResolvedHost {
  endpoints: Endpoint[];
}

const familyName = (address: string): Endpoint['family'] => (isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : 'unspec');

/**
 * `ses.resolveHost()` (CDP has no resolver command): the system resolver,
 * which is what Chrome uses here (no secure DNS on a headless profile), or
 * what `source` narrows it to, as Chrome's sources do: `dns` asks DNS servers
 * only (not the hosts file), `localOnly` answers from IP literals,
 * `localhost` names and the hosts file (else `net::ERR_DNS_CACHE_MISS`),
 * `mdns` finds nothing (no multicast DNS here). Unknown values are ignored, as
 * in Electron. Chrome's `--host-resolver-rules` (`rules`) apply first, as in
 * Chrome's resolver.
 */
export async function resolveHost(host: string, options: ResolveHostOptions = {}, rules = ''): Promise<ResolvedHost> {
  if (typeof host !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  const mapping = rules ? new HostRules(rules).map(host) : undefined;
  if (mapping?.kind === 'notFound') throw new Error('net::ERR_NAME_NOT_RESOLVED');
  if (mapping) host = mapping.host;
  const family = options?.queryType === 'A' ? 4 : options?.queryType === 'AAAA' ? 6 : 0;
  const wanted = (address: string) => family === 0 || isIP(address) === family;
  let addresses: string[];
  if (options?.source === 'localOnly') {
    addresses = (await localAddresses(host)).filter(wanted);
    if (!addresses.length) throw new Error('net::ERR_DNS_CACHE_MISS');
    return resolved(addresses);
  }
  try {
    switch (options?.source) {
      case 'dns':
        addresses = await viaDns(host, family);
        break;
      case 'mdns':
        addresses = [];
        break;
      default:
        addresses = (await lookup(host, { all: true, family })).map(({ address }) => address);
    }
  } catch {
    addresses = [];
  }
  if (!addresses.length) throw new Error('net::ERR_NAME_NOT_RESOLVED');
  return resolved(addresses);
}

const resolved = (addresses: string[]): ResolvedHost => ({ endpoints: addresses.map((address) => ({ address, family: familyName(address) })) });

async function viaDns(host: string, family: number): Promise<string[]> {
  // Bounded as Chrome's own DNS client is: a server that does not answer does not hold the call.
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  const [v4, v6] = await Promise.all([
    family === 6 ? [] : resolver.resolve4(host).catch(() => []),
    family === 4 ? [] : resolver.resolve6(host).catch(() => []),
  ]);
  return [...v4, ...v6];
}

/** What Chrome answers without asking anyone: an IP literal, a localhost name, an entry of the hosts file. */
async function localAddresses(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return ['127.0.0.1', '::1'];
  const hosts = await readFile(process.platform === 'win32' ? 'C:\\Windows\\System32\\drivers\\etc\\hosts' : '/etc/hosts', 'utf8').catch(() => '');
  const found: string[] = [];
  for (const line of hosts.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && isIP(address) && names.some((entry) => entry.toLowerCase() === name)) found.push(address);
  }
  return [...new Set(found)];
}

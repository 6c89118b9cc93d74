import { lookup } from 'node:dns/promises';

export interface ResolveHostOptions {
  queryType?: 'A' | 'AAAA';
  source?: string;
  cacheUsage?: string;
  secureDnsPolicy?: string;
}

export interface ResolvedHost {
  endpoints: Array<{ address: string; family: 'ipv4' | 'ipv6' | 'unspec' }>;
}

/**
 * `ses.resolveHost()`: the system resolver, which is what Chrome uses here
 * (no secure DNS on a headless profile); CDP has no resolver command. The
 * `source`, `cacheUsage` and `secureDnsPolicy` options are accepted and ignored.
 */
export async function resolveHost(host: string, options: ResolveHostOptions = {}): Promise<ResolvedHost> {
  if (typeof host !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  const family = options?.queryType === 'A' ? 4 : options?.queryType === 'AAAA' ? 6 : 0;
  try {
    const addresses = await lookup(host, { all: true, family });
    if (!addresses.length) throw new Error('no addresses');
    return { endpoints: addresses.map(({ address, family: f }) => ({ address, family: f === 4 ? 'ipv4' : f === 6 ? 'ipv6' : 'unspec' })) };
  } catch {
    throw new Error('net::ERR_NAME_NOT_RESOLVED');
  }
}

import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';

/** Domains that cost while on, kept on only while some feature of a target needs them. */
type CountedDomain = 'Network' | 'Debugger';

// Network events for every request are costly, and so are the Debugger's for
// every script; users are counted per client and domain.
const users = new WeakMap<CdpSession, Map<CountedDomain, number>>();

/**
 * Enables `domain` on `client` for one more user; returns the release
 * function. The enable is sent before this returns its promise, so commands
 * sent right after it reach Chrome after it.
 */
export async function useDomain(client: CdpSession, domain: CountedDomain): Promise<() => void> {
  let counts = users.get(client);
  if (!counts) users.set(client, (counts = new Map()));
  const count = counts.get(domain) ?? 0;
  counts.set(domain, count + 1);
  if (count === 0) {
    try {
      await client.send(`${domain}.enable`);
    } catch (error) {
      // Not on: this user does not count, so the next one enables it again.
      counts.set(domain, (counts.get(domain) ?? 1) - 1);
      throw error;
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (counts.get(domain) ?? 1) - 1;
    counts.set(domain, left);
    if (left === 0) void sendMayFail(client, `${domain}.disable`);
  };
}

/** Enables Network on `client` for one more user; returns the release function. */
export function useNetwork(client: CdpSession): Promise<() => void> {
  return useDomain(client, 'Network');
}

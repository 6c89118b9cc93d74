import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';

// Network events for every request are costly, so the domain is on only while
// some feature of a target needs it; users are counted per client.
const users = new WeakMap<CdpSession, number>();

/** Enables Network on `client` for one more user; returns the release function. */
export async function useNetwork(client: CdpSession): Promise<() => void> {
  const count = users.get(client) ?? 0;
  users.set(client, count + 1);
  if (count === 0) {
    try {
      await client.send('Network.enable');
    } catch (error) {
      // Not on: this user does not count, so the next one enables it again.
      users.set(client, (users.get(client) ?? 1) - 1);
      throw error;
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (users.get(client) ?? 1) - 1;
    users.set(client, left);
    if (left === 0) void sendMayFail(client, 'Network.disable');
  };
}

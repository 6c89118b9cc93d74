import { CdpSessionEvent, type CdpSession } from '../../protocol/cdp-session.js';

/** Runs `fn` once: when `client`'s target goes away, or `ms` from now if it is still there (the timer keeps no process alive). */
export function whenClosedOr(client: CdpSession, ms: number, fn: () => void): void {
  const go = (): void => {
    clearTimeout(latest);
    client.off(CdpSessionEvent.Detached, go);
    fn();
  };
  const latest = setTimeout(go, ms);
  latest.unref();
  client.on(CdpSessionEvent.Detached, go);
}

import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { TargetManager } from '../../protocol/target-manager.js';
import { useNetwork } from './network-domain.js';

/** Electron's `enableNetworkEmulation()` options: throughputs in bytes per second, 0 = not throttled. */
export interface NetworkEmulationOptions {
  offline?: boolean;
  latency?: number;
  downloadThroughput?: number;
  uploadThroughput?: number;
}

const TYPES = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);

/**
 * A session's network emulation, on every target of the session, open or new:
 * `Network.emulateNetworkConditions`, which Chrome honours only while the
 * Network domain is on, so the domain is on for the targets while emulating.
 */
export class NetworkEmulation {
  #conditions: Protocol.Network.EmulateNetworkConditionsRequest | undefined;
  readonly #releases = new WeakMap<CdpSession, () => void>();

  get active(): boolean {
    return this.#conditions !== undefined;
  }

  /** Sets (or, with undefined, ends) the emulation; applies it to the live targets of `targets` if given. */
  set(options: NetworkEmulationOptions | undefined, targets: TargetManager | undefined): Promise<void> {
    this.#conditions = options && {
      offline: Boolean(options.offline),
      latency: Math.max(0, Number(options.latency) || 0),
      downloadThroughput: Number(options.downloadThroughput) > 0 ? Number(options.downloadThroughput) : -1,
      uploadThroughput: Number(options.uploadThroughput) > 0 ? Number(options.uploadThroughput) : -1,
    };
    return targets ? targets.forEachClient((client, record) => this.apply(client, record.targetInfo)) : Promise.resolve();
  }

  /** Brings one target in line (an attach hook while it is paused, or after a change). */
  async apply(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (!TYPES.has(info.type)) return;
    const conditions = this.#conditions;
    if (conditions) {
      // Both commands go out at once, before any later command of the caller (a navigation).
      const enabling = this.#releases.has(client) ? undefined : useNetwork(client);
      if (enabling) this.#releases.set(client, () => void enabling.then((release) => release()));
      const both = Promise.all([enabling, client.send('Network.emulateNetworkConditions', conditions)]);
      // A paused service worker answers only once it runs: waiting would hold it.
      if (info.type === 'service_worker') both.catch(() => undefined);
      else await both;
      return;
    }
    const release = this.#releases.get(client);
    if (!release) return;
    this.#releases.delete(client);
    await client.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    release();
  }
}

import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol as Cdp } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { useNetwork } from './network-domain.js';

/** Target types whose requests carry the session's user agent. */
const UA_TARGETS = new Set(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);

export interface TargetSettings {
  userAgent: string;
  acceptLanguages: string | undefined;
  cache: boolean;
}

/** A session's user agent and cache switch, applied to a new target while it is paused. */
export function applyTargetSettings(client: CdpSession, info: Cdp.Target.TargetInfo, settings: TargetSettings): Promise<unknown> {
  const work: Promise<unknown>[] = [];
  // Chrome runs Page.addScriptToEvaluateOnNewDocument scripts (preloads, permission and device hooks,
  // the cookie watch) only in targets with the Page domain on: nothing else turns it on in an OOPIF.
  if (info.type === 'iframe') work.push(client.send('Page.enable'));
  if (UA_TARGETS.has(info.type)) {
    const override: Cdp.Network.SetUserAgentOverrideRequest = { userAgent: settings.userAgent };
    // Chrome adds the q-values itself ('en-US,fr' → 'en-US,fr;q=0.9'), as Electron does.
    if (settings.acceptLanguages) override.acceptLanguage = settings.acceptLanguages;
    const sent = client.send('Network.setUserAgentOverride', override);
    // A paused service worker answers only once it runs: waiting would hold it until the protocol timeout.
    if (info.type === 'service_worker') sent.catch((error: unknown) => debug.ignored('service worker user agent: %s', error));
    else work.push(sent);
  }
  if (!settings.cache && info.type !== 'service_worker') {
    // Chrome honours the switch only while the Network domain is on: a cache-less session pays for it.
    work.push(useNetwork(client).then(() => client.send('Network.setCacheDisabled', { cacheDisabled: true })));
  }
  return Promise.all(work);
}

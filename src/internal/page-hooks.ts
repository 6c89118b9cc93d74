import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';

/**
 * The domains a window's page needs before it runs: Page (load and navigation
 * events), Runtime (console messages, evaluation) and Network (response
 * status for 'did-navigate'). Sent together while the target is paused.
 */
export function enablePageDomains(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<unknown> {
  if (info.type !== 'page') return Promise.resolve();
  return Promise.all([client.send('Page.enable'), client.send('Runtime.enable'), client.send('Network.enable')]);
}

/** Electron's Accept-Language from a plain list: `'en-US,fr,de'` → `'en-US,fr;q=0.9,de;q=0.8'`. */
export function acceptLanguageHeader(languages: string): string {
  if (languages.includes(';')) return languages;
  return languages
    .split(',')
    .map((language) => language.trim())
    .filter(Boolean)
    .map((language, i) => (i === 0 ? language : `${language};q=${Math.max(0.1, 1 - i / 10).toFixed(1)}`))
    .join(',');
}

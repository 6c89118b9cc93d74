import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';

const BINDING = '__chromeSessionPreconnect';
/** An isolated world: the page sees neither the observer nor the binding. */
const WORLD = 'chrome-session-hints';

/** Reports each `<link rel=preconnect>` of the document, present or added later, once. */
const SCRIPT = `(() => {
  const seen = new WeakSet();
  const report = (link) => {
    if (seen.has(link) || !link.href || !/(^|\\s)preconnect(\\s|$)/i.test(link.rel || '')) return;
    seen.add(link);
    globalThis[${JSON.stringify(BINDING)}](JSON.stringify({ url: link.href, anonymous: link.crossOrigin === 'anonymous' }));
  };
  const scan = (node) => {
    if (node.nodeName === 'LINK') report(node);
    else if (node.querySelectorAll) node.querySelectorAll('link[rel]').forEach(report);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') scan(record.target);
      else record.addedNodes.forEach(scan);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['rel', 'href'] });
})();`;

/**
 * The session's 'preconnect' event: pages' preconnect hints (`<link rel=preconnect>`,
 * in the document or added by script), seen by an observer in an isolated world of
 * every page and frame. Installed only while someone listens (it costs a script per
 * document); Chrome's own predictor and `Link:` headers are not seen.
 */
export class PreconnectWatch {
  readonly #listening: () => boolean;
  readonly #emit: (url: string, allowCredentials: boolean) => void;

  constructor(listening: () => boolean, emit: (url: string, allowCredentials: boolean) => void) {
    this.#listening = listening;
    this.#emit = emit;
  }

  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if ((info.type !== 'page' && info.type !== 'iframe') || !this.#listening()) return;
    client.on('Runtime.bindingCalled', (event) => {
      if (event.name !== BINDING) return;
      try {
        const { url, anonymous } = JSON.parse(event.payload) as { url: string; anonymous: boolean };
        this.#emit(`${new URL(url).origin}/`, !anonymous);
      } catch (error) {
        debug.ignored('preconnect hint: %s', error);
      }
    });
    await Promise.all([
      client.send('Runtime.addBinding', { name: BINDING, executionContextName: WORLD }),
      client.send('Page.addScriptToEvaluateOnNewDocument', { source: SCRIPT, worldName: WORLD }),
    ]);
  }
}

import { CdpSessionEvent, type CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import { useNetwork } from './network-domain.js';

/** A frame's latest document request: its URLs, first to last, and its response once it came. */
export interface DocumentRequest {
  readonly requestId: string;
  readonly chain: string[];
  response?: Protocol.Network.Response;
}

interface Watched {
  /** The target's own id: what a frame inside it (same process) belongs to. */
  readonly targetId: string;
  /** Releases the Network domain, while it is on for us. */
  release: (() => void) | undefined;
  enabling: Promise<void> | undefined;
}

/**
 * What Chrome's download events leave out when a page starts a download:
 * - whose it is when a same-process child frame starts it (the event names
 *   the frame, which is no target): frames are followed with
 *   `Page.frameAttached`, free since the Page domain is on anyway;
 * - the redirects and the response of the navigation that became the
 *   download (`getURLChain()`, `getMimeType()`, `getETag()`…): the Network
 *   domain, whose events for every request cost a third of a page load, so it
 *   is on only while the session has a 'will-download' listener.
 */
export class DownloadTrail {
  readonly #listening: () => boolean;
  readonly #watched = new Map<CdpSession, Watched>();
  /** Same-process child frames, by frame id: the target they are in. */
  readonly #frames = new Map<string, string>();
  /** Each frame's latest document request, while the Network domain is on. */
  readonly #documents = new Map<string, DocumentRequest>();

  constructor(listening: () => boolean) {
    this.#listening = listening;
  }

  /** Attach hook (and for targets already running): page and frame targets are followed. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if ((info.type !== 'page' && info.type !== 'iframe') || this.#watched.has(client)) return;
    const watched: Watched = { targetId: info.targetId, release: undefined, enabling: undefined };
    this.#watched.set(client, watched);
    const frames = new Set<string>();
    client.on('Page.frameAttached', ({ frameId }) => {
      frames.add(frameId);
      this.#frames.set(frameId, info.targetId);
    });
    client.on('Page.frameDetached', ({ frameId, reason }) => {
      // A frame swapped into a process of its own becomes a target: it is known by that.
      frames.delete(frameId);
      this.#frames.delete(frameId);
      if (reason !== 'swap') this.#documents.delete(frameId);
    });
    client.on('Network.requestWillBeSent', (event) => this.#onRequest(event));
    client.on('Network.responseReceived', ({ requestId, type, frameId, response }) => {
      const document = type === 'Document' && frameId ? this.#documents.get(frameId) : undefined;
      if (document?.requestId === requestId) document.response = response;
    });
    client.once(CdpSessionEvent.Detached, () => {
      this.#watched.delete(client);
      for (const frameId of [...frames, info.targetId]) {
        this.#frames.delete(frameId);
        this.#documents.delete(frameId);
      }
    });
    if (this.#listening()) await this.#enable(client, watched);
  }

  /** A 'will-download' listener came or went: the Network domain follows on every target followed. */
  listeningChanged(): void {
    const listening = this.#listening();
    for (const [client, watched] of this.#watched) {
      if (listening) void this.#enable(client, watched);
      else this.#disable(watched);
    }
    if (!listening) this.#documents.clear();
  }

  /** The target a download's frame is in: the frame's own target, or the one it was attached in. */
  targetOf(frameId: string): string | undefined {
    return this.#frames.get(frameId);
  }

  /** The navigation of `frameId` that became the download of `url`, when it was seen. */
  documentOf(frameId: string, url: string): DocumentRequest | undefined {
    const document = this.#documents.get(frameId);
    return document?.chain[document.chain.length - 1] === url ? document : undefined;
  }

  #onRequest(event: Protocol.Network.RequestWillBeSentEvent): void {
    if (event.type !== 'Document' || !event.frameId) return;
    const known = this.#documents.get(event.frameId);
    if (event.redirectResponse && known?.requestId === event.requestId) known.chain.push(event.request.url);
    else this.#documents.set(event.frameId, { requestId: event.requestId, chain: [event.request.url] });
  }

  #enable(client: CdpSession, watched: Watched): Promise<void> {
    watched.enabling ??= useNetwork(client).then(
      (release) => {
        // The listener may have gone while Chrome enabled it.
        if (this.#listening() && this.#watched.has(client)) watched.release = release;
        else {
          release();
          watched.enabling = undefined;
        }
      },
      (error: unknown) => {
        watched.enabling = undefined;
        debug.ignored('download trail on %s: %s', watched.targetId, error);
      },
    );
    return watched.enabling;
  }

  #disable(watched: Watched): void {
    if (!watched.release) return;
    watched.release();
    watched.release = undefined;
    watched.enabling = undefined;
  }
}

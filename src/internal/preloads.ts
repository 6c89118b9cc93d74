import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { TargetManager } from '../../protocol/target-manager.js';
import { beforeWorkerScript } from './worker-scripts.js';

export interface PreloadScript {
  type: 'frame' | 'service-worker';
  id: string;
  filePath: string;
}

/** The isolated world preloads run in: they share the page's DOM, not its JavaScript globals. */
const WORLD = 'chrome-session-preload';

/**
 * A session's preload scripts (`registerPreloadScript`, and the deprecated
 * `setPreloads`): `frame` scripts run in every page and frame of the session,
 * in an isolated world, before the page's own scripts
 * (`Page.addScriptToEvaluateOnNewDocument` with a world name, set while a new
 * target is paused, and on open pages for their next document);
 * `service-worker` scripts are evaluated in each new service worker before it
 * starts. Electron parity: there is no Node.js in a page here, so a preload has
 * the web platform only (no `require`, no `contextBridge`).
 */
export class Preloads {
  readonly #scripts = new Map<string, PreloadScript>();
  /** setPreloads() ids, replaced as a set. */
  #legacy: string[] = [];
  /** Per target, the identifier Chrome gave each installed script (a promise while the add is in flight). */
  readonly #installed = new WeakMap<CdpSession, Map<string, Promise<string | undefined>>>();
  #targets: TargetManager | undefined;
  readonly #changed: () => void;

  /** `changed` is told of every change (the session's spare pages are made again). */
  constructor(changed: () => void = () => undefined) {
    this.#changed = changed;
  }

  attach(targets: TargetManager): void {
    this.#targets = targets;
  }

  register(script: { type?: string; id?: string; filePath?: string }): string {
    const id = script?.id ?? randomUUID();
    if (this.#scripts.has(id)) throw new Error(`Cannot register preload script with existing ID '${id}'`);
    const filePath = String(script?.filePath ?? '');
    if (!isAbsolute(filePath)) throw new Error(`Preload script must have absolute path: ${filePath}`);
    const type = script?.type === 'service-worker' ? 'service-worker' : 'frame';
    this.#scripts.set(id, { type, id, filePath });
    this.#sync();
    return id;
  }

  unregister(id: string): void {
    if (!this.#scripts.delete(id)) throw new Error(`Cannot unregister preload script with non-existing ID '${id}'`);
    this.#sync();
  }

  list(): PreloadScript[] {
    return [...this.#scripts.values()].map((script) => ({ ...script }));
  }

  /** The deprecated form: frame preloads by path, replacing the previous call's. */
  setLegacy(paths: string[]): void {
    for (const id of this.#legacy) this.#scripts.delete(id);
    this.#legacy = [];
    for (const filePath of paths) {
      if (!isAbsolute(filePath)) {
        console.warn(`Preload script must have absolute path: ${filePath}`);
        continue;
      }
      const id = randomUUID();
      this.#scripts.set(id, { type: 'frame', id, filePath });
      this.#legacy.push(id);
    }
    this.#sync();
  }

  getLegacy(): string[] {
    return this.#legacy.map((id) => this.#scripts.get(id)!.filePath);
  }

  /** Attach hook: a paused target gets the scripts of its kind. */
  async configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<void> {
    if (info.type === 'service_worker') {
      // Right before the worker's own script: a starting worker has no global scope yet.
      const scripts = [...this.#scripts.values()].filter((script) => script.type === 'service-worker');
      await Promise.all(scripts.map((script) => beforeWorkerScript(client, source(script.filePath))));
      return;
    }
    if (info.type !== 'page' && info.type !== 'iframe') return;
    const installed = this.#installed.get(client) ?? new Map<string, Promise<string | undefined>>();
    this.#installed.set(client, installed);
    const work: Array<Promise<unknown>> = [];
    for (const [id, identifier] of installed) {
      if (this.#scripts.has(id)) continue;
      installed.delete(id);
      // An add still in flight is removed once Chrome named it.
      const removing = identifier.then(async (name) => {
        if (name) await client.send('Page.removeScriptToEvaluateOnNewDocument', { identifier: name });
      });
      work.push(removing.catch(() => undefined));
    }
    for (const script of this.#scripts.values()) {
      if (script.type !== 'frame' || installed.has(script.id)) continue;
      const adding = client
        .send('Page.addScriptToEvaluateOnNewDocument', { source: source(script.filePath), worldName: WORLD, runImmediately: true })
        .then(({ identifier }) => identifier);
      installed.set(script.id, adding.catch(() => undefined));
      work.push(adding);
    }
    await Promise.all(work);
  }

  #sync(): void {
    this.#changed();
    void this.#targets?.forEachClient((client, record) => this.configure(client, record.targetInfo)).catch(() => undefined);
  }
}

/** The script's text now (a missing file runs as a thrown error, so the page's console says why). */
function source(filePath: string): string {
  try {
    return readFileSync(filePath, 'utf8');
  } catch (error) {
    return `throw new Error(${JSON.stringify(`Unable to load preload script: ${filePath} (${String(error)})`)})`;
  }
}

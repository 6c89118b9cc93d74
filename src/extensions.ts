import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ElectronEvent, TypedEmitter } from './events.js';
import { keepAlive } from './internal/keep-alive.js';
import type { BackendGetter } from './internal/session-backend.js';
import { debug } from '../protocol/debug.js';

/** Electron's Extension structure. */
export interface Extension {
  id: string;
  /** A copy of the extension's manifest.json. */
  manifest: Record<string, unknown>;
  name: string;
  path: string;
  version: string;
  url: string;
}

export interface ExtensionsEvents {
  'extension-loaded': [event: ElectronEvent, extension: Extension];
  'extension-unloaded': [event: ElectronEvent, extension: Extension];
  'extension-ready': [event: ElectronEvent, extension: Extension];
}

/**
 * `ses.extensions`: unpacked extensions in a persistent session, loaded into
 * its Chrome with CDP's Extensions domain (Chrome runs with
 * `--enable-unsafe-extension-debugging`). As in Electron they are not kept
 * across launches: load them again after each start. Not in incognito, so an
 * extension of the default session stays out of the in-memory partitions.
 */
export class Extensions extends TypedEmitter<ExtensionsEvents> {
  readonly #backend: BackendGetter;
  readonly #persistent: () => boolean;
  readonly #loaded = new Map<string, Extension>();
  readonly #alsoOn: { emit(event: string, ...args: unknown[]): boolean } | undefined;

  /** @internal `alsoOn`: the session, which emits the same events (deprecated there since Electron 36). */
  constructor(backend: BackendGetter, persistent: () => boolean, alsoOn?: { emit(event: string, ...args: unknown[]): boolean }) {
    super();
    this.#backend = backend;
    this.#persistent = persistent;
    this.#alsoOn = alsoOn;
  }

  /** Emits an extension event here and on the session. */
  #notify(name: keyof ExtensionsEvents, extension: Extension): void {
    this.emit(name, new ElectronEvent(), structuredClone(extension));
    this.#alsoOn?.emit(name, new ElectronEvent(), structuredClone(extension));
  }

  /** Loads the unpacked extension in `path` (absolute). `allowFileAccess` is accepted; CDP has no such switch. */
  loadExtension(path: string, _options: { allowFileAccess?: boolean } = {}): Promise<Extension> {
    return keepAlive(this.#load(path));
  }

  /** Unloads an extension; 'extension-unloaded' follows. */
  removeExtension(extensionId: string): void {
    const extension = this.#loaded.get(String(extensionId));
    if (!extension) return;
    this.#loaded.delete(extension.id);
    const work = this.#backend()
      .then((backend) => backend.host.connection.root.send('Extensions.uninstall', { id: extension.id }))
      .then(() => this.#notify('extension-unloaded', extension));
    void keepAlive(work).catch((error: unknown) => debug.ignored('removeExtension: %s', error));
  }

  getExtension(extensionId: string): Extension | null {
    const extension = this.#loaded.get(String(extensionId));
    return extension ? structuredClone(extension) : null;
  }

  getAllExtensions(): Extension[] {
    return [...this.#loaded.values()].map((extension) => structuredClone(extension));
  }

  async #load(path: string): Promise<Extension> {
    if (!this.#persistent()) throw new Error('Extensions cannot be loaded in a temporary session');
    if (typeof path !== 'string' || !isAbsolute(path)) throw new Error("The path to the extension in 'loadExtension' must be absolute");
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`Manifest file is missing or unreadable: ${String(error)}`, { cause: error });
    }
    const backend = await this.#backend();
    let id: string;
    try {
      ({ id } = await backend.host.connection.root.send('Extensions.loadUnpacked', { path }));
    } catch (error) {
      // Chrome's own message (a bad manifest, a missing file it needs).
      throw new Error(error instanceof Error ? error.message.replace(/^Protocol error \([^)]*\): /, '') : String(error), { cause: error });
    }
    const extension: Extension = {
      id,
      manifest,
      name: String(manifest.name ?? ''),
      path,
      version: String(manifest.version ?? ''),
      url: `chrome-extension://${id}/`,
    };
    this.#loaded.set(id, extension);
    backend.host.onGone(() => this.#loaded.delete(id));
    this.#notify('extension-loaded', extension);
    this.#notify('extension-ready', extension);
    return structuredClone(extension);
  }
}

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import { TargetClosedError } from '../../protocol/errors.js';
import type { SessionBackend } from './session-backend.js';

/** Electron's storage names (lower-cased) → Chrome's Storage.StorageType. */
const STORAGE_TYPES: Record<string, string> = {
  cookies: 'cookies',
  filesystem: 'file_systems',
  indexdb: 'indexeddb',
  localstorage: 'local_storage',
  shadercache: 'shader_cache',
  websql: 'websql',
  serviceworkers: 'service_workers',
  cachestorage: 'cache_storage',
};

export interface ClearStorageDataOptions {
  /** `scheme://host:port`; all origins when omitted. */
  origin?: string;
  /** Storage names (case-insensitive, unknown ones ignored); all when omitted. */
  storages?: string[];
  /** Ignored, as in Electron 42+. */
  quotas?: string[];
}

/**
 * Runs `fn` with a CDP session inside the browser context: Storage commands
 * other than the cookie ones act on the context of the target they are sent
 * to (the browser target answers "Internal error"). Uses a live page or
 * worker, or a blank page opened for the purpose and closed afterwards.
 */
export async function withContextClient<T>(backend: SessionBackend, fn: (client: CdpSession) => Promise<T>): Promise<T> {
  const live = backend.targets.records().find((r) => r.status === 'ready' && r.targetInfo.type === 'page');
  if (live) {
    try {
      return await fn(live.client);
    } catch (error) {
      // A window being closed may still be listed: a page of our own does it then.
      if (!(error instanceof TargetClosedError)) throw error;
    }
  }
  const root = backend.host.connection.root;
  const { targetId } = await root.send('Target.createTarget', {
    url: 'about:blank',
    newWindow: true,
    ...(backend.browserContextId ? { browserContextId: backend.browserContextId } : {}),
  });
  try {
    const record = await backend.targets.waitForTarget(targetId);
    return await fn(record.client);
  } finally {
    await sendMayFail(root, 'Target.closeTarget', { targetId });
  }
}

/** `ses.clearStorageData()`: Storage.clearCookies for all cookies, Storage.clearDataForOrigin for the rest. */
export async function clearStorageData(backend: SessionBackend, options: ClearStorageDataOptions = {}): Promise<void> {
  if (options === null || typeof options !== 'object') throw new TypeError('Options must be an object');
  const names = options.storages === undefined ? Object.keys(STORAGE_TYPES) : options.storages.map((s) => String(s).toLowerCase());
  const types = [...new Set(names.map((name) => STORAGE_TYPES[name]).filter((t): t is string => t !== undefined))];
  if (!types.length) return;
  const root = backend.host.connection.root;
  const context = backend.browserContextId ? { browserContextId: backend.browserContextId } : {};
  const work: Promise<unknown>[] = [];
  let rest = types;
  if (options.origin === undefined && types.includes('cookies')) {
    // All cookies of the context in one browser-level call, no target needed.
    work.push(root.send('Storage.clearCookies', context));
    rest = types.filter((t) => t !== 'cookies');
  }
  if (rest.length) {
    // '*' is every origin of the context.
    const origin = options.origin ?? '*';
    work.push(withContextClient(backend, (client) => client.send('Storage.clearDataForOrigin', { origin, storageTypes: rest.join(',') })));
  }
  await Promise.all(work);
}

/** `ses.clearCache()`: Network.clearBrowserCache empties the HTTP cache of the context its target is in. */
export async function clearCache(backend: SessionBackend): Promise<void> {
  await withContextClient(backend, (client) => client.send('Network.clearBrowserCache'));
}

/**
 * `ses.getCacheSize()`: the bytes of the HTTP cache's files in the profile
 * (`Default/Cache`). An in-memory session's cache lives in Chrome's memory and
 * CDP reports no size for it: 0.
 */
export async function getCacheSize(storagePath: string | null): Promise<number> {
  if (storagePath === null) return 0;
  return directorySize(join(storagePath, 'Default', 'Cache'));
}

async function directorySize(path: string): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch {
    return 0;
  }
  const sizes = await Promise.all(
    entries.map(async (entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return directorySize(full);
      return entry.isFile() ? (await stat(full).catch(() => ({ size: 0 }))).size : 0;
    }),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

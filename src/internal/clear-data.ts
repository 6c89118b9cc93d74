import { debug } from '../../protocol/debug.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { expiredCopy, siteOf } from './cookie-convert.js';
import { isFlushCookie } from './cookie-flush.js';
import type { SessionBackend } from './session-backend.js';
import { clearCache, withContextClient } from './storage.js';
import { embeddedKeys, keyMatches, type OriginMatchingMode } from './storage-keys.js';

export interface ClearDataOptions {
  dataTypes?: string[];
  origins?: string[];
  excludeOrigins?: string[];
  avoidClosingConnections?: boolean;
  originMatchingMode?: OriginMatchingMode;
}

/** Electron's data types (case-sensitive) → Chrome's storage types; `cache` is also the HTTP cache. */
const DATA_TYPES: Record<string, string[]> = {
  backgroundFetch: [],
  cache: ['cache_storage'],
  cookies: [],
  downloads: [],
  fileSystems: ['file_systems'],
  indexedDB: ['indexeddb'],
  localStorage: ['local_storage'],
  serviceWorkers: ['service_workers'],
  webSQL: ['websql'],
};

function originOf(spec: unknown): string {
  let origin = 'null';
  try {
    origin = new URL(String(spec)).origin;
  } catch {
    // Reported below.
  }
  if (origin === 'null') throw new TypeError(`Invalid origin: '${String(spec)}'`);
  return origin;
}

/** Electron's argument errors, thrown at the call: both origin lists, an opaque origin. */
export function checkClearDataOptions(options: ClearDataOptions = {}): { included?: string[] | undefined; excluded?: string[] | undefined } {
  if (options === null || typeof options !== 'object') throw new TypeError('Options must be an object');
  if (options.origins !== undefined && options.excludeOrigins !== undefined) {
    throw new TypeError("Cannot provide both 'origins' and 'excludeOrigins'");
  }
  return { included: options.origins?.map(originOf), excluded: options.excludeOrigins?.map(originOf) };
}

/**
 * `ses.clearData()`: Chrome's storage types per origin (`Storage.clearDataForOrigin`
 * in the session's context) and per partitioned key the origin matching mode
 * reaches (`Storage.clearDataForStorageKey`), cookies by registrable domain,
 * the HTTP cache for `cache`. With `excludeOrigins`, cookies keep the excluded
 * sites' and the other types are cleared for the origins and keys the
 * session's cookies and targets name.
 */
export async function clearData(backend: SessionBackend, options: ClearDataOptions = {}): Promise<void> {
  const { included, excluded } = checkClearDataOptions(options);
  const types = (options.dataTypes ?? Object.keys(DATA_TYPES)).filter((type) => type in DATA_TYPES);
  const storageTypes = [...new Set(types.flatMap((type) => DATA_TYPES[type]!))];
  const root = backend.host.connection.root;
  const context = backend.browserContextId ? { browserContextId: backend.browserContextId } : {};
  const work: Promise<unknown>[] = [];
  if (types.includes('cache')) work.push(clearCache(backend));
  const cookies = (await root.send('Storage.getCookies', context)).cookies.filter((cookie) => !isFlushCookie(cookie));
  if (types.includes('cookies')) {
    const sites = (list: string[] | undefined) => new Set(list?.map((origin) => siteOf(new URL(origin).hostname)));
    const [keep, only] = [sites(excluded), sites(included)];
    const doomed = cookies.filter((cookie) => {
      const site = siteOf(cookie.domain);
      return included ? only.has(site) : !keep.has(site);
    });
    if (!included && !excluded) work.push(root.send('Storage.clearCookies', context));
    else if (doomed.length) work.push(root.send('Storage.setCookies', { cookies: doomed.map((c) => expiredCopy(c, `https://${c.domain.replace(/^\./, '')}/`)), ...context }));
  }
  if (storageTypes.length) {
    // Unknown modes are the default, as in Electron.
    const mode: OriginMatchingMode = options.originMatchingMode === 'origin-in-all-contexts' ? options.originMatchingMode : 'third-parties-included';
    const embedded = embeddedKeys(backend.targets.embeddedSeen);
    const reached = (entry: (typeof embedded)[number], list: string[]) => list.some((origin) => keyMatches(entry, origin, mode));
    let origins = ['*'];
    let keys: string[] = [];
    if (included) {
      origins = included;
      keys = embedded.filter((entry) => reached(entry, included)).map((entry) => entry.key);
    } else if (excluded) {
      origins = knownOrigins(backend, cookies).filter((origin) => !excluded.includes(origin));
      keys = embedded.filter((entry) => !reached(entry, excluded)).map((entry) => entry.key);
    }
    const storageTypesList = storageTypes.join(',');
    work.push(
      withContextClient(backend, (client) =>
        Promise.all([
          ...origins.map((origin) => client.send('Storage.clearDataForOrigin', { origin, storageTypes: storageTypesList })),
          ...keys.map((storageKey) => client.send('Storage.clearDataForStorageKey', { storageKey, storageTypes: storageTypesList })),
        ]),
      ),
    );
  }
  const results = await Promise.allSettled(work);
  for (const result of results) if (result.status === 'rejected') debug.ignored('clearData: %s', result.reason);
  if (results.some((result) => result.status === 'rejected')) {
    throw Object.assign(new Error('Failed to clear data'), { failedDataTypes: types });
  }
}

/** Origins the session may hold data for: its cookies' hosts, and every origin its pages, frames and workers have been at. */
function knownOrigins(backend: SessionBackend, cookies: Protocol.Network.Cookie[]): string[] {
  const origins = new Set<string>(backend.targets.originsSeen);
  for (const cookie of cookies) {
    const host = cookie.domain.replace(/^\./, '');
    origins.add(`http://${host}`).add(`https://${host}`);
  }
  return [...origins];
}

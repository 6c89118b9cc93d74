import { mkdirSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { flushDomStorage } from './internal/dom-storage-flush.js';
import { keepAlive } from './internal/keep-alive.js';
import { runtime } from './internal/runtime.js';
import { unsupported, warnOnce } from './internal/unsupported.js';
import { Session } from './session.js';

/** Electron's SharedDictionaryInfo (never produced here: see getSharedDictionaryInfo). */
export interface SharedDictionaryInfo {
  match: string;
  matchDestinations: string[];
  id: string;
  dictionaryUrl: string;
  lastFetchTime: Date;
  responseTime: Date;
  expirationDuration: number;
  lastUsedTime: Date;
  size: number;
  hash: string;
}

declare module './session.js' {
  interface Session {
    /** Checked as in Electron; Chrome keeps V8's code cache in the profile (`Code Cache`), which CDP cannot move. */
    setCodeCachePath(path: string): void;
    /** Rejects: CDP has no command for V8's code cache (`clearCache()` empties the HTTP cache). */
    clearCodeCaches(options?: { urls?: string[] }): Promise<void>;
    /** Rejects: CDP does not report Chrome's shared (compression) dictionaries. */
    getSharedDictionaryUsageInfo(): Promise<Array<{ frameOrigin: string; topFrameSite: string; totalSizeBytes: number }>>;
    getSharedDictionaryInfo(options: { frameOrigin: string; topFrameSite: string }): Promise<SharedDictionaryInfo[]>;
    clearSharedDictionaryCache(): Promise<void>;
    clearSharedDictionaryCacheForIsolationKey(options: { frameOrigin: string; topFrameSite: string }): Promise<void>;
    /**
     * Writes DOM storage (localStorage) to disk. Electron returns nothing; ours resolves once it is
     * there (within about 2.5 s: see dom-storage-flush.ts). At once for in-memory sessions, sessions
     * whose Chrome is not running, and browsers we connected to (their disk is not ours to watch).
     */
    flushStorageData(): Promise<void>;
  }
}

Session.prototype.flushStorageData = function flushStorageData(this: Session) {
  const path = this.storagePath;
  const running = path !== null && [...runtime.hosts].some((host) => host.process?.userDataDir === path);
  return keepAlive(running ? flushDomStorage(path) : Promise.resolve());
};

Session.prototype.setCodeCachePath = function setCodeCachePath(this: Session, path) {
  if (typeof path !== 'string' || !path || !isAbsolute(path)) throw new TypeError('Absolute path must be provided to store code cache.');
  // Electron creates the folder; Chrome here keeps using its profile's, and says so once.
  mkdirSync(path, { recursive: true });
  warnOnce('session.setCodeCachePath()', "Chrome keeps V8's code cache in the session's profile ('Code Cache'); CDP cannot move it");
};

Session.prototype.clearCodeCaches = function clearCodeCaches(this: Session, options) {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('Error processing argument at index 0, conversion failure');
  return unsupported('clearCodeCaches()', "the DevTools protocol has no command for V8's code cache");
};

/** Electron's checks of `{ frameOrigin, topFrameSite }`. */
function checkIsolationKey(options: { frameOrigin?: unknown; topFrameSite?: unknown } | undefined, where: string): Promise<void> {
  const { frameOrigin, topFrameSite } = options ?? {};
  if (typeof frameOrigin !== 'string' || typeof topFrameSite !== 'string') return Promise.reject(new Error(`Must provide frameOrigin and topFrameSite strings${where}`));
  if (!URL.canParse(frameOrigin) || !URL.canParse(topFrameSite)) return Promise.reject(new Error('Invalid URLs provided for frameOrigin or topFrameSite'));
  return Promise.resolve();
}

const NO_DICTIONARIES = "the DevTools protocol neither lists nor clears Chrome's shared compression dictionaries";

Session.prototype.getSharedDictionaryUsageInfo = function getSharedDictionaryUsageInfo(this: Session) {
  return unsupported('getSharedDictionaryUsageInfo()', NO_DICTIONARIES);
};
Session.prototype.getSharedDictionaryInfo = function getSharedDictionaryInfo(this: Session, options) {
  return checkIsolationKey(options, '').then(() => unsupported('getSharedDictionaryInfo()', NO_DICTIONARIES));
};
Session.prototype.clearSharedDictionaryCache = function clearSharedDictionaryCache(this: Session) {
  return unsupported('clearSharedDictionaryCache()', NO_DICTIONARIES);
};
Session.prototype.clearSharedDictionaryCacheForIsolationKey = function clearSharedDictionaryCacheForIsolationKey(this: Session, options) {
  return checkIsolationKey(options, ' to clearSharedDictionaryCacheForIsolationKey').then(() =>
    unsupported('clearSharedDictionaryCacheForIsolationKey()', NO_DICTIONARIES),
  );
};

import { isAbsolute, join } from 'node:path';
import { app } from './app.js';
import { escapePartitionName } from './internal/partition-path.js';
import { runtime } from './internal/runtime.js';
import { kCreateSession, Session, type SessionKind } from './session.js';
import './session-deprecated.js';
import './session-extras.js';
import './session-spellcheck.js';
import './session-caches.js';
import './session-network-config.js';
import './session-devices.js';

export interface FromPartitionOptions {
  /** Whether to use Chrome's HTTP cache. Default true, unless the `disable-http-cache` switch is set. */
  cache?: boolean;
}

// Same partition string (or path), same Session object, for the app's lifetime.
const byPartition = new Map<string, Session>();
const byPath = new Map<string, Session>();

function assertReady(): void {
  if (!app.isReady()) throw new TypeError('Session can only be received when app is ready');
}

function create(kind: SessionKind, options: FromPartitionOptions | undefined): Session {
  const cache = options?.cache ?? !runtime.commandLine.hasSwitch('disable-http-cache');
  const session = new Session(kCreateSession, kind, { cache, defaultUserAgent: runtime.userAgent });
  app.emit('session-created', session);
  return session;
}

/**
 * The session for `partition`: `''` is the default session, `persist:<name>`
 * a persistent one (`<sessionData>/Partitions/<name>`), anything else an
 * in-memory one. Throws before the app is ready.
 */
function fromPartition(partition: string, options?: FromPartitionOptions): Session {
  assertReady();
  if (typeof partition !== 'string') {
    throw new TypeError(`Error processing argument at index 0, conversion failure from ${String(partition)}`);
  }
  const existing = byPartition.get(partition);
  if (existing) return existing;
  // 'persist:' with no name is the default session, as in Electron.
  if (partition === 'persist:') return fromPartition('', options);
  let kind: SessionKind;
  const name = `session '${partition}'`;
  if (partition === '') kind = { type: 'default', storagePath: app.getPath('sessionData'), name: 'the default session' };
  else if (partition.startsWith('persist:')) {
    const dir = escapePartitionName(partition.slice('persist:'.length));
    kind = { type: 'profile', storagePath: join(app.getPath('sessionData'), 'Partitions', dir), name };
  } else kind = { type: 'memory', name };
  const session = create(kind, options);
  byPartition.set(partition, session);
  return session;
}

/** A persistent session whose data lives in `path` (absolute), in its own Chrome. */
function fromPath(path: string, options?: FromPartitionOptions): Session {
  assertReady();
  if (typeof path !== 'string' || path === '') throw new TypeError('An empty path was specified');
  if (!isAbsolute(path)) throw new TypeError('An absolute path was not provided');
  const existing = byPath.get(path);
  if (existing) return existing;
  const session = create({ type: 'profile', storagePath: path, name: `session at ${path}` }, options);
  byPath.set(path, session);
  return session;
}

/** Electron's `session` module. */
export const session = {
  fromPartition,
  fromPath,
  /** The app's default session: `fromPartition('')`. */
  get defaultSession(): Session {
    return fromPartition('');
  },
};

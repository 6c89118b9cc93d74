import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { Protocol } from '../../protocol/cdp-types.js';
import type { ContextRef } from './session-backend.js';

/**
 * The host of the one cookie `flushStore()` writes to make Chrome commit its
 * cookie store. `.invalid` is reserved (RFC 2606): no site ever sees it, and
 * it is left out of everything we report (get(), 'changed', clearData).
 */
export const FLUSH_COOKIE_HOST = 'flush.chrome-session.invalid';

/** Whether a cookie is the flush marker (hidden from users). */
export function isFlushCookie(cookie: { domain: string }): boolean {
  return cookie.domain === FLUSH_COOKIE_HOST;
}

/**
 * Chrome's cookie store (SQLitePersistentCookieStore) writes its pending
 * operations every 30 seconds, or at once when 512 operations are pending;
 * CDP has no flush. Setting one persistent cookie 257 times is 513
 * operations (an add, then a delete and an add for each overwrite), so
 * Chrome commits everything queued before, whatever it already had pending.
 */
const OVERWRITES = 257;
const DISK_WAIT_MS = 10_000;
const POLL_MS = 10;

/**
 * `cookies.flushStore()`: resolves once the session's cookies are in its
 * profile's `Cookies` database. In-memory sessions keep nothing on disk:
 * at once. For a browser we connected to, the disk is not ours to watch:
 * once Chrome has taken the operations that make it commit.
 */
export async function flushCookieStore(backend: ContextRef, storagePath: string | null): Promise<void> {
  if (storagePath === null) return;
  const local = backend.host.process !== undefined;
  const database = local ? await cookieDatabase(storagePath) : undefined;
  const before = database ? await modified(database) : undefined;
  const context = backend.browserContextId ? { browserContextId: backend.browserContextId } : {};
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const marker = (value: string, at: number): Protocol.Network.CookieParam => ({
    name: 'flush',
    value,
    url: `http://${FLUSH_COOKIE_HOST}/`,
    expires: at,
  });
  const root = backend.host.connection.root;
  await root.send('Storage.setCookies', { cookies: Array.from({ length: OVERWRITES }, (_, i) => marker(String(i), expires)), ...context });
  // An expired copy removes it (one more operation, written with the next commit).
  await root.send('Storage.setCookies', { cookies: [marker('', 1)], ...context });
  if (!database) return;
  await committed(database, before);
}

/** The profile's cookie database (`Default/Network/Cookies` in newer Chromes, `Default/Cookies` before). */
async function cookieDatabase(storagePath: string): Promise<string> {
  const network = join(storagePath, 'Default', 'Network', 'Cookies');
  return (await modified(network)) !== undefined ? network : join(storagePath, 'Default', 'Cookies');
}

/**
 * Waits until the database was written after `before` and its rollback
 * journal is empty again: SQLite truncates the journal as a transaction's
 * last step, so an empty journal after a write is a finished commit.
 */
async function committed(database: string, before: bigint | undefined): Promise<void> {
  const deadline = Date.now() + DISK_WAIT_MS;
  for (;;) {
    const now = await modified(database);
    if (now !== undefined && now !== before && !(await journalSize(database))) return;
    if (Date.now() > deadline) throw new Error(`Failed to flush the cookie store: ${database} was not written within ${DISK_WAIT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

async function modified(path: string): Promise<bigint | undefined> {
  return (await stat(path, { bigint: true }).catch(() => undefined))?.mtimeNs;
}

async function journalSize(database: string): Promise<number> {
  return Number((await stat(`${database}-journal`).catch(() => undefined))?.size ?? 0);
}

import createDebug from 'debug';
import { redactText } from './errors.js';

/**
 * Debug logs, on with `DEBUG=chrome-session:*` (or one of `chrome-session:send`,
 * `chrome-session:recv`, `chrome-session:ignored`). `send` shows each command
 * with its parameters, `recv` each event, `ignored` the errors that were chosen
 * not to be raised. Secrets are masked (see `masked`).
 */
export const debug = {
  send: logger('chrome-session:send'),
  recv: logger('chrome-session:recv'),
  ignored: logger('chrome-session:ignored'),
};

/** A logger whose on/off follows DEBUG as it was at start: chrome-launcher's logger resets the shared `debug` settings. */
function logger(namespace: string): createDebug.Debugger {
  const log = createDebug(namespace);
  log.enabled = createDebug.enabled(namespace);
  return log;
}

const SECRET_KEYS = new Set(['password', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const MASK = '***';

/**
 * A copy of CDP parameters fit for a log: passwords, credentials and cookie
 * values are replaced by `***` (keys named like secrets, header entries
 * `{name, value}` of secret headers, and the values of cookie lists).
 */
export function masked(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => masked(item, parentKey));
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const secretEntry = typeof record.name === 'string' && SECRET_KEYS.has(record.name.toLowerCase());
  const cookieList = parentKey === 'cookies';
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (SECRET_KEYS.has(key.toLowerCase()) || (key === 'value' && (secretEntry || cookieList))) out[key] = MASK;
    else out[key] = masked(item, key);
  }
  return out;
}

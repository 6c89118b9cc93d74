import { callBack } from './internal/callbacks.js';
import { keepAlive } from './internal/keep-alive.js';
import { unsupported, warnOnce } from './internal/unsupported.js';
import { Session } from './session.js';

export interface SSLConfig {
  /** `tls1.2` or `tls1.3` (Electron's implementation takes no others). */
  minVersion?: 'tls1' | 'tls1.1' | 'tls1.2' | 'tls1.3';
  maxVersion?: 'tls1.2' | 'tls1.3';
  /** Cipher suites as 0xAABB integers. */
  disabledCipherSuites?: number[];
}

declare module './session.js' {
  interface Session {
    /**
     * Checked as Electron checks it; not applied: Chrome takes TLS versions and
     * cipher suites from browser-wide settings only, none of which CDP changes (a warning says so once).
     */
    setSSLConfig(config: SSLConfig): void;
    /**
     * Checked; not applied: Chrome's integrated-authentication allowlist is the
     * browser-wide `--auth-server-allowlist` switch (`app.commandLine.appendSwitch` before ready sets it for every session).
     */
    allowNTLMCredentialsForDomains(domains: string): void;
    /**
     * Rejects: Chrome keeps its HTTP authentication cache in the network stack, and no CDP
     * command (nor clearing cookies, cache or storage) empties it.
     */
    clearAuthCache(): Promise<void>;
    /** Nothing to clear: the session's forwarder resolves each connection anew (Chrome resolves only loopback names). */
    clearHostResolverCache(): Promise<void>;
    clearHostResolverCache(callback: () => void): void;
  }
}

Session.prototype.clearHostResolverCache = function clearHostResolverCache(this: Session, callback?: () => void) {
  return callBack(Promise.resolve(), callback);
} as Session['clearHostResolverCache'];

const TLS_VERSIONS = new Set(['tls1.2', 'tls1.3']);

Session.prototype.setSSLConfig = function setSSLConfig(this: Session, config) {
  const fail = () => new TypeError(`Error processing argument at index 0, conversion failure from ${String(config)}`);
  if (typeof config !== 'object' || config === null) throw fail();
  for (const key of ['minVersion', 'maxVersion'] as const) {
    if (config[key] !== undefined && !TLS_VERSIONS.has(config[key])) throw fail();
  }
  const suites = config.disabledCipherSuites;
  if (suites !== undefined && (!Array.isArray(suites) || !suites.every((suite) => Number.isInteger(suite) && suite >= 0 && suite <= 0xffff))) throw fail();
  warnOnce('session.setSSLConfig()', "Chrome's TLS versions and cipher suites are browser-wide and CDP cannot change them; the session keeps Chrome's defaults");
};

Session.prototype.allowNTLMCredentialsForDomains = function allowNTLMCredentialsForDomains(this: Session, domains) {
  if (typeof domains !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
  warnOnce(
    'session.allowNTLMCredentialsForDomains()',
    "Chrome's integrated-authentication allowlist is browser-wide: set it with app.commandLine.appendSwitch('auth-server-allowlist', domains) before ready",
  );
};

Session.prototype.clearAuthCache = function clearAuthCache(this: Session, ...args: unknown[]) {
  const result = keepAlive(unsupported('clearAuthCache()', "Chrome's HTTP authentication cache cannot be emptied over the DevTools protocol"));
  // The old form, clearAuthCache(options, callback): the callback is called with no error argument in Electron; here it gets the error.
  const callback = args.find((arg): arg is (error?: Error) => void => typeof arg === 'function');
  if (!callback) return result;
  result.catch((error: Error) => callback(error));
  return undefined as unknown as Promise<void>;
};

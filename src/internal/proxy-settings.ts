import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { debug } from '../../protocol/debug.js';
import { BypassRules, matchesImplicitRules } from './proxy-bypass.js';
import { loadPacScript, type FindProxyForURL } from './pac-script.js';
import { parsePacResult, parseProxyRules, proxiesFor, type ProxyRules } from './proxy-rules.js';
import { DIRECT, type ProxyServer } from './proxy-server.js';

/** Electron's ProxyConfig. */
export interface ProxyConfig {
  mode?: 'direct' | 'auto_detect' | 'pac_script' | 'fixed_servers' | 'system';
  pacScript?: string;
  proxyRules?: string;
  proxyBypassRules?: string;
}

const MODES = ['direct', 'auto_detect', 'pac_script', 'fixed_servers', 'system'];
const WPAD_URL = 'http://wpad/wpad.dat';

type Resolved =
  | { readonly type: 'direct' }
  | { readonly type: 'fixed'; readonly rules: ProxyRules; readonly bypass: BypassRules }
  | { readonly type: 'pac'; readonly url: string; readonly mandatory: boolean };

/**
 * One session's proxy configuration, and the answer it gives for each URL:
 * the proxy list Chrome would try, in order. PAC scripts are fetched (directly,
 * never through a proxy, as Chrome does) when first needed and evaluated in a
 * QuickJS sandbox by pac-resolver.
 */
export class ProxySettings {
  #resolved: Resolved | undefined;
  #pac: Promise<FindProxyForURL | null> | undefined;
  readonly #fallback: () => ProxyConfig | undefined;

  /**
   * `fallback` gives the configuration of a session that never called setProxy: the command
   * line's when it has proxy switches, else the system's. Read when first needed (switches
   * may still be added before the app is ready).
   */
  constructor(fallback: () => ProxyConfig | undefined) {
    this.#fallback = fallback;
  }

  get #current(): Resolved {
    if (!this.#resolved) {
      const config = this.#fallback();
      this.#resolved = config ? resolveConfig(config) : systemConfig();
    }
    return this.#resolved;
  }

  /** Validates and takes `config`: rejects the way Electron's setProxy does. */
  set(config: ProxyConfig): void {
    if (typeof config !== 'object' || config === null) throw new TypeError('Error processing argument at index 0, conversion failure');
    for (const key of ['mode', 'pacScript', 'proxyRules', 'proxyBypassRules'] as const) {
      if (config[key] !== undefined && typeof config[key] !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    }
    if (config.mode !== undefined && !MODES.includes(config.mode)) {
      throw new Error('Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system');
    }
    this.#resolved = resolveConfig(config);
    this.#pac = undefined;
  }

  /** Whether the configuration proxies loopback too (`<-loopback>`). */
  get proxiesLoopback(): boolean {
    const current = this.#current;
    return current.type === 'fixed' && current.bypass.subtractsImplicit;
  }

  /** Fetches the PAC script again (pac_script and auto_detect modes). */
  async forceReload(): Promise<void> {
    this.#pac = undefined;
    const current = this.#current;
    if (current.type === 'pac') await this.#script(current);
  }

  /** The proxies to try for `url`, in order; `null` when a mandatory PAC script cannot be had. */
  async resolve(url: URL): Promise<readonly ProxyServer[] | null> {
    const resolved = this.#current;
    if (resolved.type === 'direct') return [DIRECT];
    if (resolved.type === 'fixed') return resolved.bypass.bypasses(url) ? [DIRECT] : proxiesFor(resolved.rules, url);
    // Chrome applies the implicit bypass to PAC answers too: a PAC script cannot proxy localhost.
    if (matchesImplicitRules(url)) return [DIRECT];
    const findProxy = await this.#script(resolved);
    if (!findProxy) return resolved.mandatory ? null : [DIRECT];
    try {
      return parsePacResult(await findProxy(sanitizedUrl(url), url.hostname));
    } catch (error) {
      debug.ignored('PAC script failed for %s: %s', url.href, error);
      return resolved.mandatory ? null : [DIRECT];
    }
  }

  #script(resolved: Extract<Resolved, { type: 'pac' }>): Promise<FindProxyForURL | null> {
    this.#pac ??= fetchPac(resolved.url).then(
      (source) => loadPacScript(source),
      (error: unknown) => {
        debug.ignored('PAC script %s not loaded: %s', resolved.url, error);
        return null;
      },
    );
    return this.#pac;
  }
}

function resolveConfig(config: ProxyConfig): Resolved {
  const mode = config.mode ?? (config.pacScript ? 'pac_script' : 'fixed_servers');
  switch (mode) {
    case 'direct':
      return { type: 'direct' };
    case 'system':
      return systemConfig();
    case 'auto_detect':
      return { type: 'pac', url: WPAD_URL, mandatory: false };
    case 'pac_script':
      // Electron makes the PAC script mandatory: when it cannot be fetched, requests fail rather than go direct.
      return config.pacScript ? { type: 'pac', url: config.pacScript, mandatory: true } : { type: 'direct' };
    default:
      return { type: 'fixed', rules: parseProxyRules(config.proxyRules ?? ''), bypass: new BypassRules(config.proxyBypassRules ?? '') };
  }
}

/**
 * The system's configuration, as Chrome reads it on Linux without a desktop:
 * `auto_proxy` (a PAC URL), else `all_proxy`, `http_proxy`, `https_proxy`,
 * `ftp_proxy` and `no_proxy` (suffix matching), else direct.
 */
function systemConfig(): Resolved {
  const env = (name: string): string | undefined => process.env[name] || process.env[name.toUpperCase()] || undefined;
  const pac = env('auto_proxy');
  if (pac) return { type: 'pac', url: pac, mandatory: false };
  const entries: string[] = [];
  for (const scheme of ['http', 'https', 'ftp'] as const) {
    const value = env(`${scheme}_proxy`);
    if (value) entries.push(`${scheme}=${value.replace(/\/+$/, '')}`);
  }
  const all = env('all_proxy');
  if (all) entries.push(/^socks/i.test(all) ? `socks=${all}` : entries.length ? `socks=${all}` : all);
  if (!entries.length) return { type: 'direct' };
  const rules = entries.length === 1 && !entries[0]!.includes('=') ? entries[0]! : entries.join(';');
  return { type: 'fixed', rules: parseProxyRules(rules), bypass: new BypassRules(env('no_proxy') ?? '', { suffixMatching: true }) };
}

async function fetchPac(url: string): Promise<string> {
  if (url.startsWith('file:')) return readFile(fileURLToPath(url), 'utf8');
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

/** Chrome strips credentials and the fragment from https URLs (and the path too) before a PAC script sees them. */
function sanitizedUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  if (copy.protocol === 'https:' || copy.protocol === 'wss:') {
    copy.pathname = '/';
    copy.search = '';
  }
  return copy.href;
}

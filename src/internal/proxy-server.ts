/** One entry of a proxy list, as Chrome's net stack knows it. */
export type ProxyScheme = 'direct' | 'http' | 'https' | 'socks4' | 'socks5';

export interface ProxyServer {
  readonly scheme: ProxyScheme;
  /** Host name or IP literal, IPv6 without brackets; empty for DIRECT. */
  readonly host: string;
  readonly port: number;
}

export const DIRECT: ProxyServer = Object.freeze({ scheme: 'direct', host: '', port: 0 });

export const DEFAULT_PORTS: Readonly<Record<Exclude<ProxyScheme, 'direct'>, number>> = {
  http: 80,
  https: 443,
  socks4: 1080,
  socks5: 1080,
};

const PAC_KEYWORDS: Readonly<Record<ProxyScheme, string>> = {
  direct: 'DIRECT',
  http: 'PROXY',
  https: 'HTTPS',
  socks4: 'SOCKS',
  socks5: 'SOCKS5',
};

function hostPort(server: ProxyServer): string {
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `${host}:${server.port}`;
}

/** Chrome's PAC-format string for a list: `PROXY a:80;SOCKS5 b:1080;DIRECT`. */
export function toPacString(list: readonly ProxyServer[]): string {
  return list.map((server) => (server.scheme === 'direct' ? 'DIRECT' : `${PAC_KEYWORDS[server.scheme]} ${hostPort(server)}`)).join(';');
}

/**
 * The URL proxy-chain takes for an upstream, credentials included when Chrome gave some.
 * Chrome's SOCKS5 lets the proxy resolve names (`socks5h`); its SOCKS4 resolves them itself.
 */
export function upstreamUrl(server: ProxyServer, credentials?: { username: string; password: string }): string {
  const auth = credentials?.username ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@` : '';
  return `${server.scheme === 'socks5' ? 'socks5h' : server.scheme}://${auth}${hostPort(server)}`;
}

export function serverKey(server: ProxyServer): string {
  return `${server.scheme}://${hostPort(server)}`;
}

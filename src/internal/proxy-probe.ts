import net from 'node:net';
import tls from 'node:tls';
import type { ProxyServer } from './proxy-server.js';

/** What an upstream proxy showed when asked: reachable, asking for credentials (in a realm), or not there. */
export type UpstreamProbe = 'ok' | 'unreachable' | { readonly realm: string };

const PROBE_TIMEOUT_MS = 3_000;

/**
 * Connects to an upstream proxy the way Chrome would before using it. An
 * HTTP(S) proxy is asked for a tunnel to `target` and its status line read:
 * 407 means Chrome must be asked for credentials first (proxy-chain would
 * otherwise turn a tunnel's 407 into a failure). A SOCKS proxy is only
 * connected to. Never rejects.
 */
export function probeUpstream(server: ProxyServer, target: string): Promise<UpstreamProbe> {
  return new Promise<UpstreamProbe>((resolve) => {
    const options = { host: server.host, port: server.port };
    const socket = server.scheme === 'https' ? tls.connect({ ...options, servername: server.host, rejectUnauthorized: false }) : net.connect(options);
    const done = (result: UpstreamProbe): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('unreachable'), PROBE_TIMEOUT_MS);
    socket.once('error', () => done('unreachable'));
    socket.once(server.scheme === 'https' ? 'secureConnect' : 'connect', () => {
      if (server.scheme !== 'http' && server.scheme !== 'https') return done('ok');
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
      let head = '';
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n') && head.length < 16_384) return;
        if (!/^HTTP\/\d(?:\.\d)? 407/.test(head)) return done('ok');
        const realm = /^proxy-authenticate:[^\r\n]*realm="([^"]*)"/im.exec(head)?.[1] ?? '';
        done({ realm });
      });
      socket.once('end', () => done('ok'));
    });
  });
}

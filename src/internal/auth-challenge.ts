import type { CdpSession } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { loginHandling, type AuthInfo } from './login.js';
import { upstreamChallenger } from './proxy-forwarder.js';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

/**
 * Answers Chrome's `Fetch.authRequired` with Electron's 'login' event: the
 * credentials a listener gives, or a cancel when nobody took the challenge,
 * when the callback gets no username, or when it is not called in time.
 */
export async function answerAuthChallenge(
  client: CdpSession,
  event: Protocol.Fetch.AuthRequiredEvent,
  pageTargetId: string | undefined,
  timeoutMs: number,
  fromHelper = false,
): Promise<void> {
  const { authChallenge, request, requestId } = event;
  // A server's challenge to ses.fetch/net.request is theirs (ClientRequest's 'login'), never app's, as in Electron.
  if (fromHelper && authChallenge.source !== 'Proxy') {
    await client.send('Fetch.continueWithAuth', { requestId, authChallengeResponse: { response: 'CancelAuth' } });
    return;
  }
  const challenger = new URL(authChallenge.origin || request.url);
  const isProxy = authChallenge.source === 'Proxy';
  const port = Number(challenger.port) || DEFAULT_PORTS[challenger.protocol] || 0;
  // Chrome talks to the session's forwarder; the proxy that asked is the upstream behind it.
  const upstream = isProxy ? upstreamChallenger(challenger.hostname, port) : undefined;
  const authInfo: AuthInfo = {
    isProxy,
    scheme: authChallenge.scheme.toLowerCase(),
    host: upstream?.host ?? challenger.hostname,
    port: upstream?.port ?? port,
    realm: authChallenge.realm,
  };
  const credentials = await new Promise<[string, string] | undefined>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const callback = (username?: string, password?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(username === undefined ? undefined : [String(username), String(password ?? '')]);
    };
    const taken = loginHandling().emit(pageTargetId, { url: request.url, pid: 0 }, authInfo, callback);
    if (!taken) return callback();
    timer = setTimeout(() => callback(), timeoutMs);
    timer.unref();
  });
  const authChallengeResponse: Protocol.Fetch.AuthChallengeResponse = credentials
    ? { response: 'ProvideCredentials', username: credentials[0], password: credentials[1] }
    : { response: 'CancelAuth' };
  await client.send('Fetch.continueWithAuth', { requestId, authChallengeResponse });
}

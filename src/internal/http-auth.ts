import { createHash, randomBytes } from 'node:crypto';

/** A server's challenge a ClientRequest can answer: Chrome's choice among those a 401 offers. */
export interface AuthChallenge {
  scheme: 'basic' | 'digest';
  realm: string;
  params: Map<string, string>;
}

/**
 * The challenges of a `WWW-Authenticate` header (several may share one
 * header, comma-separated), by scheme, each with its parameters (`realm`,
 * `nonce`, …; quoted values unquoted). Only Basic and Digest are kept.
 */
export function parseChallenges(header: string | null): AuthChallenge[] {
  const found: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  // A scheme token, or a parameter (a token, '=', a token or a quoted string).
  const part = /\s*(?:([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)|([A-Za-z0-9!#$%&'*+.^_`|~-]+))\s*,?/gy;
  const text = header ?? '';
  let match: RegExpExecArray | null;
  while (part.lastIndex < text.length && (match = part.exec(text))) {
    const [, name, value, scheme] = match;
    if (scheme) {
      const lower = scheme.toLowerCase();
      current = lower === 'basic' || lower === 'digest' ? { scheme: lower, realm: '', params: new Map() } : undefined;
      if (current) found.push(current);
    } else if (name && current) {
      const unquoted = value!.startsWith('"') ? value!.slice(1, -1).replace(/\\(.)/g, '$1') : value!;
      current.params.set(name.toLowerCase(), unquoted);
      if (name.toLowerCase() === 'realm') current.realm = unquoted;
    }
    if (match[0] === '') break;
  }
  return found;
}

const DIGEST_HASHES: Record<string, string> = { md5: 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256' };

/** The challenge Chrome would answer: Digest (of an algorithm it knows) before Basic. */
export function chooseChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  const digest = challenges.find(
    (c) => c.scheme === 'digest' && c.params.has('nonce') && (DIGEST_HASHES[(c.params.get('algorithm') ?? 'MD5').toLowerCase()] !== undefined),
  );
  return digest ?? challenges.find((c) => c.scheme === 'basic');
}

/**
 * The `Authorization` header answering `challenge` (RFC 7617 Basic, RFC 7616
 * Digest with `qop=auth` when offered, else RFC 2069's form) for a request of
 * `method` to `uri` (its path and query); `count` is the nonce's use number
 * (`cnonce` is given only by tests, to check the RFC's examples).
 */
export function authorizationFor(
  challenge: AuthChallenge,
  username: string,
  password: string,
  method: string,
  uri: string,
  count = 1,
  cnonce = randomBytes(8).toString('hex'),
): string {
  if (challenge.scheme === 'basic') return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const { params, realm } = challenge;
  const algorithm = params.get('algorithm') ?? 'MD5';
  const hashName = DIGEST_HASHES[algorithm.toLowerCase()] ?? 'md5';
  const hash = (text: string): string => createHash(hashName).update(text).digest('hex');
  const nonce = params.get('nonce') ?? '';
  const nc = count.toString(16).padStart(8, '0');
  const qop = (params.get('qop') ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  let ha1 = hash(`${username}:${realm}:${password}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = hash(`${method}:${uri}`);
  const response = qop ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);
  const quote = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;
  const fields = [
    `username=${quote(username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
  ];
  if (params.has('opaque')) fields.push(`opaque=${quote(params.get('opaque')!)}`);
  if (qop) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${fields.join(', ')}`;
}

import { createHash } from 'node:crypto';
import tls, { type DetailedPeerCertificate } from 'node:tls';

/** Electron's CertificatePrincipal. */
export interface CertificatePrincipal {
  commonName: string;
  organizations: string[];
  organizationUnits: string[];
  locality: string;
  state: string;
  country: string;
}

/** Electron's Certificate structure. */
export interface Certificate {
  /** PEM encoded data. */
  data: string;
  issuer: CertificatePrincipal;
  issuerName: string;
  /**
   * The issuer's certificate. Declared as Electron declares it (always there), and, as in
   * Electron, absent at runtime for a self-signed (root) certificate: check before use.
   */
  issuerCert: Certificate;
  subject: CertificatePrincipal;
  subjectName: string;
  /** Hex. */
  serialNumber: string;
  /** Seconds since the epoch. */
  validStart: number;
  validExpiry: number;
  /** `sha256/<base64>` of the certificate's DER bytes. */
  fingerprint: string;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The certificate chain `host:port` presents, as Electron describes one, and
 * whether it chains to a root Node trusts (Node's CA store stands in for
 * Chrome's: both are the public web roots). `undefined` when no TLS
 * handshake could be had.
 */
export function fetchCertificate(host: string, port: number): Promise<{ certificate: Certificate; trusted: boolean } | undefined> {
  return new Promise((resolve) => {
    const servername = /^[\d.]+$|:/.test(host) ? undefined : host;
    const socket = tls.connect({ host: host.replace(/^\[|\]$/g, ''), port, servername, rejectUnauthorized: false });
    const timer = setTimeout(() => finish(undefined), HANDSHAKE_TIMEOUT_MS);
    function finish(result: { certificate: Certificate; trusted: boolean } | undefined): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('error', () => finish(undefined));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      finish(peer?.raw ? { certificate: toCertificate(peer), trusted: socket.authorized } : undefined);
    });
  });
}

function toCertificate(peer: DetailedPeerCertificate, depth = 0): Certificate {
  const issuer = peer.issuerCertificate;
  const selfSigned = !issuer || issuer === peer || issuer.fingerprint256 === peer.fingerprint256;
  const certificate: Omit<Certificate, 'issuerCert'> & { issuerCert?: Certificate } = {
    data: `-----BEGIN CERTIFICATE-----\n${peer.raw.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`,
    issuer: principal(peer.issuer),
    issuerName: first(peer.issuer?.CN),
    subject: principal(peer.subject),
    subjectName: first(peer.subject?.CN),
    serialNumber: peer.serialNumber,
    validStart: Math.floor(Date.parse(peer.valid_from) / 1000),
    validExpiry: Math.floor(Date.parse(peer.valid_to) / 1000),
    fingerprint: `sha256/${createHash('sha256').update(peer.raw).digest('base64')}`,
  };
  // A chain longer than any real one would be a loop: stop there.
  if (!selfSigned && issuer?.raw && depth < 10) certificate.issuerCert = toCertificate(issuer, depth + 1);
  return certificate as Certificate;
}

type Name = string | string[] | undefined;
type Names = { CN?: Name; O?: Name; OU?: Name; L?: Name; ST?: Name; C?: Name } | undefined;

function principal(names: Names): CertificatePrincipal {
  return {
    commonName: first(names?.CN),
    organizations: all(names?.O),
    organizationUnits: all(names?.OU),
    locality: first(names?.L),
    state: first(names?.ST),
    country: first(names?.C),
  };
}

function first(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

import type { CdpSession } from '../../protocol/cdp-session.js';
import { sendMayFail } from '../../protocol/cdp-session.js';
import type { Protocol } from '../../protocol/cdp-types.js';
import { debug } from '../../protocol/debug.js';
import type { TargetManager } from '../../protocol/target-manager.js';
import { fetchCertificate, type Certificate } from './certificate.js';
import { netError, netErrorName } from './net-errors.js';
import { recordFailureFor } from './net-failures.js';

/** What `setCertificateVerifyProc`'s proc is asked about. */
export interface CertificateVerifyRequest {
  hostname: string;
  certificate: Certificate;
  validatedCertificate: Certificate;
  isIssuedByKnownRoot: boolean;
  /** Chrome's verdict: `net::ERR_CERT_AUTHORITY_INVALID`, ... */
  verificationResult: string;
  errorCode: number;
}

/** `callback(0)` accepts, `-2` rejects, `-3` takes Chrome's verdict; another net error code rejects with that error. */
export type CertificateVerifyProc = (request: CertificateVerifyRequest, callback: (verificationResult: number) => void) => void;

/** Targets whose requests Chrome verifies certificates for through the Security domain. */
const SECURITY_TARGETS = new Set(['page', 'iframe']);

/**
 * A session's certificate verify proc. With one set, every page and frame of
 * the session has Chrome hand its certificate errors to us
 * (`Security.setOverrideCertificateErrors`); the proc is asked with the
 * chain the host presents (read by a TLS handshake of our own) and Chrome's
 * verdict, and its answer continues or cancels the request. Answers are kept
 * per host until the proc changes, as Chrome's verifier caches them.
 * Certificates Chrome accepts are not shown to the proc (Chrome reports only errors).
 */
export class CertificateVerifier {
  #proc: CertificateVerifyProc | null = null;
  /** Per host: the code the proc answered (or is answering). */
  #answers = new Map<string, Promise<number>>();
  #targets: TargetManager | undefined;

  /** The session's context, once it runs (the proc can be set before). */
  attach(targets: TargetManager): void {
    this.#targets = targets;
  }

  /** Takes a new proc (or `null`): answers given by the old one are forgotten; live targets follow. */
  set(proc: CertificateVerifyProc | null): Promise<void> {
    this.#proc = proc;
    this.#answers = new Map();
    if (!this.#targets) return Promise.resolve();
    return this.#targets.forEachClient((client, record) => this.#apply(client, record.targetInfo));
  }

  /** Attach hook: the override and the error listener on each new page and frame while it is paused. */
  configure(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<unknown> {
    if (!SECURITY_TARGETS.has(info.type)) return Promise.resolve();
    client.on('Security.certificateError', (event) => {
      void this.#onCertificateError(client, event).catch((error: unknown) => debug.ignored('certificate error: %s', error));
    });
    return this.#proc ? this.#apply(client, info) : Promise.resolve();
  }

  #apply(client: CdpSession, info: Protocol.Target.TargetInfo): Promise<unknown> {
    if (!SECURITY_TARGETS.has(info.type)) return Promise.resolve();
    const override = this.#proc !== null;
    return Promise.all([
      override ? client.send('Security.enable') : Promise.resolve(),
      client.send('Security.setOverrideCertificateErrors', { override }),
    ]);
  }

  async #onCertificateError(client: CdpSession, event: Protocol.Security.CertificateErrorEvent): Promise<void> {
    const answers = this.#answers;
    const url = new URL(event.requestURL);
    let answer = answers.get(url.hostname);
    if (!answer) {
      answer = this.#ask(url, event.errorType);
      answers.set(url.hostname, answer);
    }
    const code = await answer;
    // 0 is the proc's yes; -3 (Chrome's verdict) on an error Chrome found, and every other code, is a no.
    if (code !== 0) recordFailureFor(url, refusal(code, event.errorType));
    const action = code === 0 ? 'continue' : 'cancel';
    await sendMayFail(client, 'Security.handleCertificateError', { eventId: event.eventId, action });
  }

  async #ask(url: URL, errorType: string): Promise<number> {
    const proc = this.#proc;
    if (!proc) return -3;
    const port = Number(url.port) || 443;
    const chain = await fetchCertificate(url.hostname, port);
    if (!chain) return -3;
    const verificationResult = errorType.startsWith('net::') ? errorType : `net::${errorType}`;
    const request: CertificateVerifyRequest = {
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      certificate: chain.certificate,
      validatedCertificate: chain.certificate,
      isIssuedByKnownRoot: chain.trusted,
      verificationResult,
      errorCode: netError(verificationResult).errorCode,
    };
    return new Promise<number>((resolve) => {
      try {
        proc(request, (result) => resolve(Number(result)));
      } catch (error) {
        debug.ignored('certificate verify proc threw: %s', error);
        resolve(-2);
      }
    });
  }
}

/** The error a refused certificate fails its request with, as Electron reports it: -2 `ERR_FAILED`, -3 Chrome's, another code that error. */
function refusal(code: number, errorType: string): string {
  if (code === -3) return errorType.startsWith('net::') ? errorType : `net::${errorType}`;
  if (code === -2) return 'net::ERR_FAILED';
  return netErrorName(code) ?? 'net::ERR_FAILED';
}

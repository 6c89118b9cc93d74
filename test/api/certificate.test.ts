import test from 'ava';
import { session } from '../../src/index.js';
import type { CertificateVerifyRequest } from '../../src/internal/certificate-verifier.js';
import { startHttpsServer } from '../helpers/tls.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

serverAndApp(test);
const https = {} as { server: Awaited<ReturnType<typeof startHttpsServer>> };
test.before(async () => {
  https.server = await startHttpsServer();
});
test.after.always(() => https.server?.close());

test('setCertificateVerifyProc() - one session accepts the test CA\'s certificate, another rejects it, a third keeps Chrome\'s verdict', async (t) => {
  const accepting = session.fromPartition(uniquePartition('cert'));
  const rejecting = session.fromPartition(uniquePartition('cert'));
  const untouched = session.fromPartition(uniquePartition('cert'));
  const asked: CertificateVerifyRequest[] = [];
  accepting.setCertificateVerifyProc((request, callback) => {
    asked.push(request);
    callback(0);
  });
  rejecting.setCertificateVerifyProc((_request, callback) => callback(-2));

  const win = await openWindow(t, accepting, `${https.server.origin}/one`);
  t.is(win.webContents.getTitle(), 'hello');
  // Answers are kept per host: a second load does not ask again.
  await win.loadURL(`${https.server.origin}/two`);
  t.is(win.webContents.getTitle(), 'hello');
  t.is(asked.length, 1);
  const request = asked[0]!;
  t.is(request.hostname, '127.0.0.1');
  t.is(request.verificationResult, 'net::ERR_CERT_AUTHORITY_INVALID');
  t.is(request.errorCode, -202);
  t.false(request.isIssuedByKnownRoot);
  t.is(request.certificate.subjectName, '127.0.0.1');
  t.is(request.certificate.issuerName, 'chrome-session test CA');
  t.deepEqual(request.certificate.subject.organizations, ['chrome-session tests']);
  t.is(request.certificate.issuerCert?.subjectName, 'chrome-session test CA');
  // The root has none (typed as always there, as Electron types it).
  t.is((request.certificate.issuerCert as { issuerCert?: unknown } | undefined)?.issuerCert, undefined);
  t.regex(request.certificate.data, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
  t.regex(request.certificate.fingerprint, /^sha256\/[A-Za-z0-9+/]{43}=$/);
  t.true(request.certificate.validStart < Date.now() / 1000 && request.certificate.validExpiry > Date.now() / 1000);

  const refused = await openWindow(t, rejecting);
  await t.throwsAsync(refused.loadURL(`${https.server.origin}/refused`), { message: /^ERR_FAILED \(-2\)/ });
  const normal = await openWindow(t, untouched);
  await t.throwsAsync(normal.loadURL(`${https.server.origin}/normal`), { message: /ERR_CERT_AUTHORITY_INVALID/ });
});

test('setCertificateVerifyProc() - null restores Chrome\'s verdict; a new proc is asked afresh; bad arguments throw', async (t) => {
  const ses = session.fromPartition(uniquePartition('cert'));
  // The certificate names both 127.0.0.1 and localhost: two hosts, each with its own answer.
  const viaLocalhost = https.server.origin.replace('127.0.0.1', 'localhost');
  let calls = 0;
  ses.setCertificateVerifyProc((_request, callback) => {
    calls++;
    callback(0);
  });
  const win = await openWindow(t, ses, `${https.server.origin}/first`);
  t.is(win.webContents.getTitle(), 'hello');
  ses.setCertificateVerifyProc(null);
  await t.throwsAsync(win.loadURL(`${viaLocalhost}/default`), { message: /ERR_CERT_AUTHORITY_INVALID/ });
  ses.setCertificateVerifyProc((request, callback) => {
    calls++;
    t.is(request.hostname, 'localhost');
    callback(-3);
  });
  await t.throwsAsync(win.loadURL(`${viaLocalhost}/chrome-verdict`), { message: /ERR_CERT_AUTHORITY_INVALID/ });
  t.is(calls, 2);
  t.throws(() => ses.setCertificateVerifyProc('yes' as never), { instanceOf: TypeError, message: 'Must pass null or function' });
});

import test from 'ava';
import { authorizationFor, chooseChallenge, parseChallenges } from '../../src/internal/http-auth.js';

// RFC 7616, section 3.9.1: the same request answered with SHA-256 and with MD5.
const RFC_HEADER = `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256,
  nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
  Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5,
  nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`.replace(/\n/g, '');
const CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

test('parseChallenges - several challenges in one header, quoted and bare values, unknown schemes left out', (t) => {
  const challenges = parseChallenges(`Negotiate, Basic realm="a \\"quoted\\" realm", charset="UTF-8", ${RFC_HEADER}`);
  t.deepEqual(challenges.map((c) => [c.scheme, c.realm, c.params.get('algorithm')]), [
    ['basic', 'a "quoted" realm', undefined],
    ['digest', 'http-auth@example.org', 'SHA-256'],
    ['digest', 'http-auth@example.org', 'MD5'],
  ]);
  t.is(challenges[1]!.params.get('qop'), 'auth, auth-int');
  t.deepEqual(parseChallenges(null), []);
  t.deepEqual(parseChallenges('Bearer realm="x"'), []);
});

test('chooseChallenge - Digest of a known algorithm before Basic, as Chrome', (t) => {
  t.is(chooseChallenge(parseChallenges(`Basic realm="b", ${RFC_HEADER}`))?.params.get('algorithm'), 'SHA-256');
  t.is(chooseChallenge(parseChallenges('Digest realm="d", nonce="n", algorithm=SHA-512-256, Basic realm="b"'))?.scheme, 'basic');
  t.is(chooseChallenge(parseChallenges('Digest realm="d"')), undefined);
});

test('authorizationFor - RFC 7616 examples (SHA-256 and MD5, qop=auth) and RFC 7617 Basic', (t) => {
  const [sha256, md5] = parseChallenges(RFC_HEADER);
  const answer = (challenge: typeof sha256) => authorizationFor(challenge!, 'Mufasa', 'Circle of Life', 'GET', '/dir/index.html', 1, CNONCE);
  t.regex(answer(sha256), /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
  t.regex(answer(md5), /response="8ca523f5e9506fed4657c9700eebdbec"/);
  t.regex(answer(md5), /^Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf\/xlj9XXwfDPEoM4URrv\/xwf94BcCAzFZH4GiTo0v", uri="\/dir\/index.html", algorithm=MD5, response="[0-9a-f]{32}", opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ"$/);
  const [basic] = parseChallenges('Basic realm="WallyWorld"');
  t.is(authorizationFor(basic!, 'Aladdin', 'open sesame', 'GET', '/'), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
});

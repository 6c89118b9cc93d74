import test from 'ava';
import { HostRules } from '../../src/internal/host-rules.js';
import { resolveHost } from '../../src/internal/resolve-host.js';

test('HostRules - MAP with wildcards, ports and IPv6 replacements; the first matching rule wins; EXCLUDE keeps a host', (t) => {
  const rules = new HostRules('MAP *.example.test 127.0.0.2, MAP api.other.test:8080 10.0.0.1:9, EXCLUDE safe.example.test ; MAP v6.test [::1]:80, MAP gone.test ~NOTFOUND, MAP *.example.test 10.9.9.9');
  t.deepEqual(rules.map('www.Example.test'), { kind: 'host', host: '127.0.0.2' });
  t.is(rules.map('safe.example.test'), undefined);
  t.is(rules.map('api.other.test'), undefined, 'its pattern names a port');
  t.deepEqual(rules.map('api.other.test', 8080), { kind: 'host', host: '10.0.0.1', port: 9 }, 'a replacement with a port moves the connection there');
  t.deepEqual(rules.map('v6.test'), { kind: 'host', host: '::1', port: 80 });
  t.deepEqual(rules.map('gone.test'), { kind: 'notFound' });
  t.is(rules.map('elsewhere.test'), undefined);
  t.is(new HostRules('MAP onlytwo, EXCLUDE, nonsense a b').map('onlytwo'), undefined, 'malformed rules are skipped');
  t.deepEqual(new HostRules('map a?.test 127.0.0.3').map('ab.test'), { kind: 'host', host: '127.0.0.3' });
});

test('resolveHost() - with --host-resolver-rules: a mapped name resolves to its replacement, ~NOTFOUND fails as Chrome does', async (t) => {
  const rules = 'MAP *.mapped.invalid 127.0.0.7, MAP nowhere.test ~NOTFOUND';
  t.deepEqual(await resolveHost('a.mapped.invalid', {}, rules), { endpoints: [{ address: '127.0.0.7', family: 'ipv4' }] });
  await t.throwsAsync(resolveHost('nowhere.test', {}, rules), { message: 'net::ERR_NAME_NOT_RESOLVED' });
  await t.throwsAsync(resolveHost('a.mapped.invalid', {}), { message: 'net::ERR_NAME_NOT_RESOLVED' });
});

import test from 'ava';
import fc from 'fast-check';
import { BypassRules } from '../../src/internal/proxy-bypass.js';
import { parsePacResult, parseProxyRules, proxiesFor } from '../../src/internal/proxy-rules.js';
import { toPacString, type ProxyServer } from '../../src/internal/proxy-server.js';

// No hyphens at positions 3 and 4: URL parsing takes `xn--` and the like for punycode and refuses them.
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/).filter((text) => text.slice(2, 4) !== '--');
const hostName = fc.array(label, { minLength: 2, maxLength: 4 }).map((parts) => parts.join('.'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const proxy: fc.Arbitrary<ProxyServer> = fc.oneof(
  fc.constant<ProxyServer>({ scheme: 'direct', host: '', port: 0 }),
  fc.record({
    scheme: fc.constantFrom('http' as const, 'https' as const, 'socks4' as const, 'socks5' as const),
    host: fc.oneof(hostName, ipv4),
    port: fc.integer({ min: 1, max: 65535 }),
  }),
);
const URI_SCHEME = { http: 'http', https: 'https', socks4: 'socks4', socks5: 'socks5', direct: 'direct' } as const;
const uri = (server: ProxyServer): string => (server.scheme === 'direct' ? 'direct://' : `${URI_SCHEME[server.scheme]}://${server.host}:${server.port}`);

test('proxy rules - a fail-over list written out in URI form parses back to the same list, in PAC form too', (t) => {
  fc.assert(
    fc.property(fc.array(proxy, { minLength: 1, maxLength: 5 }), fc.constantFrom('http', 'https', 'ftp'), (list, scheme) => {
      const single = proxiesFor(parseProxyRules(list.map(uri).join(',')), new URL(`${scheme}://target.example/`));
      const perScheme = proxiesFor(parseProxyRules(`${scheme}=${list.map(uri).join(',')}`), new URL(`${scheme}://target.example/`));
      const expected = toPacString(list);
      return toPacString(single) === expected && toPacString(perScheme) === expected && toPacString(parsePacResult(expected)) === expected;
    }),
  );
  t.pass();
});

test('proxy rules - a URL scheme with no list of its own and no socks= fallback goes direct', (t) => {
  fc.assert(
    fc.property(fc.array(proxy, { minLength: 1, maxLength: 3 }), (list) => {
      const rules = parseProxyRules(`http=${list.map(uri).join(',')}`);
      return toPacString(proxiesFor(rules, new URL('https://target.example/'))) === 'DIRECT';
    }),
  );
  t.pass();
});

test('proxy rules and PAC results - arbitrary text never throws and always yields a list', (t) => {
  fc.assert(
    fc.property(fc.string(), fc.constantFrom('http://a.example/', 'https://a.example/', 'wss://a.example/'), (text, url) => {
      const list = proxiesFor(parseProxyRules(text), new URL(url));
      return list.length > 0 && parsePacResult(text).length > 0;
    }),
  );
  t.pass();
});

test('bypass rules - `.domain` and `*.domain` match every subdomain and never the domain itself; a plain name only itself', (t) => {
  fc.assert(
    fc.property(hostName, label, (domain, sub) => {
      const subdomain = new URL(`http://${sub}.${domain}/`);
      const bare = new URL(`http://${domain}/`);
      const dotted = new BypassRules(`.${domain}`);
      const starred = new BypassRules(`*.${domain}`);
      const plain = new BypassRules(domain);
      return dotted.bypasses(subdomain) && starred.bypasses(subdomain) && !dotted.bypasses(bare) && !starred.bypasses(bare) && plain.bypasses(bare) && !plain.bypasses(subdomain);
    }),
  );
  t.pass();
});

test('bypass rules - an IPv4 CIDR rule bypasses exactly the addresses whose first `prefix` bits agree', (t) => {
  const toBits = (address: string): number => address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
  fc.assert(
    fc.property(ipv4, fc.integer({ min: 0, max: 32 }), ipv4, (network, prefix, candidate) => {
      const rules = new BypassRules(`${network}/${prefix}`);
      const shift = 2 ** (32 - prefix);
      const inside = Math.floor(toBits(network) / shift) === Math.floor(toBits(candidate) / shift);
      const url = new URL(`http://${candidate}/`);
      // Loopback and link-local are bypassed whatever the rules say (the implicit rules).
      const implicit = /^(127\.|169\.254\.)/.test(candidate);
      return rules.bypasses(url) === (inside || implicit);
    }),
  );
  t.pass();
});

test('bypass rules - the last matching rule decides, and without one only the implicit rules bypass', (t) => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('localhost', '<-loopback>', '*.example', '<local>'), { maxLength: 5 }), (rules) => {
      const decided = new BypassRules(rules.join(',')).bypasses(new URL('http://localhost/'));
      // Every one of these rules matches localhost: the last one says bypass unless it is <-loopback>.
      const last = rules.filter((rule) => rule !== '*.example').at(-1);
      return decided === (last === undefined ? true : last !== '<-loopback>');
    }),
  );
  t.pass();
});

test('bypass rules - arbitrary text never throws', (t) => {
  fc.assert(
    fc.property(fc.string(), fc.oneof(hostName, ipv4), (text, host) => {
      const rules = new BypassRules(text);
      return typeof rules.bypasses(new URL(`http://${host}:8080/`)) === 'boolean';
    }),
  );
  t.pass();
});

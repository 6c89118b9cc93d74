import test from 'ava';
import { BypassRules, matchesImplicitRules } from '../../src/internal/proxy-bypass.js';
import { parsePacResult, parseProxyRules, proxiesFor } from '../../src/internal/proxy-rules.js';
import { toPacString } from '../../src/internal/proxy-server.js';
import { ProxySettings, type ProxyConfig } from '../../src/internal/proxy-settings.js';
import { proxyConfigFromSwitches } from '../../src/internal/proxy-switches.js';

const pac = (rules: string, url: string): string => toPacString(proxiesFor(parseProxyRules(rules), new URL(url)));

test('proxyRules - Chromium\'s grammar: one list, per-scheme lists, socks= fallback, fail-over, direct://', (t) => {
  const cases: Array<[rules: string, url: string, expected: string]> = [
    ['foopy:80', 'https://a.com/', 'PROXY foopy:80'],
    ['foopy', 'ftp://a.com/', 'PROXY foopy:80'],
    ['http=foopy:80;ftp=foopy2', 'http://a.com/', 'PROXY foopy:80'],
    ['http=foopy:80;ftp=foopy2', 'ftp://a.com/', 'PROXY foopy2:80'],
    ['http=foopy:80;ftp=foopy2', 'https://a.com/', 'DIRECT'],
    ['foopy:80,bar,direct://', 'http://a.com/', 'PROXY foopy:80;PROXY bar:80;DIRECT'],
    ['http=foopy,socks5://bar.com', 'http://a.com/', 'PROXY foopy:80;SOCKS5 bar.com:1080'],
    ['http=foopy;socks=foopy2', 'https://a.com/', 'SOCKS foopy2:1080'],
    ['http=foopy;socks=socks5://foopy2', 'ftp://a.com/', 'SOCKS5 foopy2:1080'],
    ['socks4://foopy', 'http://a.com/', 'SOCKS foopy:1080'],
    ['socks://foopy', 'http://a.com/', 'SOCKS5 foopy:1080'],
    ['https://secure:8443', 'http://a.com/', 'HTTPS secure:8443'],
    ['https://secure', 'http://a.com/', 'HTTPS secure:443'],
    ['[::1]:3128', 'http://a.com/', 'PROXY [::1]:3128'],
    // A bare list stops the parse; after scheme lists it is ignored.
    ['foopy ; ftp=ftp-proxy', 'ftp://a.com/', 'PROXY foopy:80'],
    ['ftp=ftp-proxy ; foopy', 'http://a.com/', 'DIRECT'],
    ['http=http1,http2; http=http3', 'http://a.com/', 'PROXY http1:80;PROXY http2:80;PROXY http3:80'],
    // Scheme names are case-sensitive; unknown ones are dropped, malformed proxies too.
    ['HTTP=foopy', 'http://a.com/', 'DIRECT'],
    ['crazy=foopy;https=ok', 'https://a.com/', 'PROXY ok:80'],
    ['bogus://x,user@host,foo:,good:81', 'http://a.com/', 'PROXY good:81'],
    // ws and wss: the socks= list, then https, then http.
    ['http=h1;https=h2', 'wss://a.com/', 'PROXY h2:80'],
    ['http=h1', 'ws://a.com/', 'PROXY h1:80'],
    ['http=h1;socks=s', 'ws://a.com/', 'SOCKS s:1080'],
    ['', 'http://a.com/', 'DIRECT'],
  ];
  for (const [rules, url, expected] of cases) t.is(pac(rules, url), expected, `${rules} for ${url}`);
});

test('proxyBypassRules - Chromium\'s grammar and order; the implicit loopback bypass', (t) => {
  const bypasses = (rules: string, url: string): boolean => new BypassRules(rules).bypasses(new URL(url));
  const cases: Array<[rules: string, url: string, expected: boolean]> = [
    ['', 'http://localhost/', true],
    ['', 'http://app.localhost:8080/', true],
    ['', 'http://127.3.4.5/', true],
    ['', 'http://[::1]/', true],
    ['', 'http://169.254.1.1/', true],
    ['', 'http://[::ffff:127.0.0.1]/', true],
    ['', 'http://example.com/', false],
    ['<-loopback>', 'http://localhost/', false],
    ['<-loopback>; localhost', 'http://localhost/', true],
    ['localhost; <-loopback>', 'http://localhost/', false],
    ['<local>', 'http://example/', true],
    ['<local>', 'http://example.com/', false],
    ['<local>', 'http://[dead::beef]/', false],
    ['www.google.com', 'http://www.google.com/', true],
    ['www.google.com', 'http://sub.www.google.com/', false],
    ['.google.com', 'http://maps.google.com/', true],
    ['*.google.com', 'http://google.com/', false],
    ['*oogle.com', 'http://google.com/', true],
    ['goo?le.com', 'http://google.com/', true],
    ['*.org:443', 'https://www.google.org/', true],
    ['*.google.com:80', 'https://www.google.com/', false],
    ['https://x.com', 'http://x.com/', false],
    ['https://x.com', 'https://x.com/', true],
    ['192.168.1.1', 'http://192.168.1.1:8080/', true],
    ['192.168.1.1:80', 'http://192.168.1.1:8080/', false],
    ['[3ffe:2a00:100:7031:0:0::1]', 'http://[3ffe:2a00:100:7031::1]/', true],
    ['192.168.0.0/16', 'http://192.168.44.1/', true],
    ['192.168.0.0/16', 'http://192.169.0.1/', false],
    ['192.168.0.0/16', 'http://[::ffff:192.168.3.4]/', true],
    ['fefe::/10', 'http://[fec0::1]/', true],
    ['[fefe::]/10', 'http://[fec0::1]/', false],
    ['10.0.0.0/8', 'http://ten.example/', false],
    ['EXAMPLE.com', 'http://example.com/', true],
    ['a.com, b.com; c.com', 'http://c.com/', true],
  ];
  for (const [rules, url, expected] of cases) t.is(bypasses(rules, url), expected, `${rules} for ${url}`);
  t.true(new BypassRules('<-loopback>').subtractsImplicit);
  t.false(matchesImplicitRules(new URL('http://localhost6/')));
  // no_proxy's dialect: a name also matches as a suffix.
  t.true(new BypassRules('example.com', { suffixMatching: true }).bypasses(new URL('http://www.example.com/')));
});

test('PAC results - read as Chromium does: keywords in any case, default ports, junk dropped, DIRECT when nothing is left', (t) => {
  t.is(toPacString(parsePacResult('PROXY foopy1 ; proxy foopy2;\t DIRECT')), 'PROXY foopy1:80;PROXY foopy2:80;DIRECT');
  t.is(toPacString(parsePacResult('PROXY foopy1 ; JUNK ; JUNK ; SOCKS5 foopy2 ; ;')), 'PROXY foopy1:80;SOCKS5 foopy2:1080');
  t.is(toPacString(parsePacResult('SOCKS a; SOCKS4 b:1; HTTPS c')), 'SOCKS a:1080;SOCKS b:1;HTTPS c:443');
  t.is(toPacString(parsePacResult('PROXY-foopy:10')), 'DIRECT');
  t.is(toPacString(parsePacResult('DIRECT foo')), 'DIRECT');
});

test('ProxySettings - Electron\'s modes and errors (the cases of Electron\'s session spec that need no network)', async (t) => {
  const resolve = async (config: ProxyConfig, url: string): Promise<string> => {
    const settings = new ProxySettings(() => undefined);
    settings.set(config);
    const list = await settings.resolve(new URL(url));
    return list ? toPacString(list) : '';
  };
  t.is(await resolve({ proxyRules: 'http=myproxy:80' }, 'http://example.com/'), 'PROXY myproxy:80');
  t.is(await resolve({ proxyRules: 'http=myproxy:80', proxyBypassRules: '<-loopback>' }, 'http://localhost'), 'PROXY myproxy:80');
  t.is(await resolve({ proxyRules: 'http=myproxy:80' }, 'http://localhost'), 'DIRECT');
  t.is(await resolve({ proxyRules: 'http=myproxy:80', proxyBypassRules: '<local>' }, 'http://example/'), 'DIRECT');
  t.is(await resolve({ mode: 'direct', proxyRules: 'http=myproxy:80' }, 'http://example.com/'), 'DIRECT');
  t.is(await resolve({ mode: 'pac_script' }, 'http://example.com/'), 'DIRECT');
  t.is(await resolve({ mode: 'fixed_servers', proxyRules: 'http=myproxy:80' }, 'http://example.com/'), 'PROXY myproxy:80');
  t.is(await resolve({ mode: 'fixed_servers' }, 'http://example.com/'), 'DIRECT');
  // PAC from a data: URL; the implicit bypass applies to PAC answers too.
  const pacScript = `data:application/x-ns-proxy-autoconfig,${encodeURIComponent('function FindProxyForURL(u, h) { return "PROXY myproxy:8132; DIRECT"; }')}`;
  t.is(await resolve({ pacScript }, 'https://google.com'), 'PROXY myproxy:8132;DIRECT');
  t.is(await resolve({ pacScript }, 'http://127.0.0.1/'), 'DIRECT');
  // A mandatory PAC script that cannot be had: no answer ('' from resolveProxy, failed requests).
  t.is(await resolve({ pacScript: 'file:///nonexistent/proxy.pac' }, 'http://example.com/'), '');

  const settings = new ProxySettings(() => undefined);
  t.throws(() => settings.set({ mode: 'invalid' as 'direct' }), {
    instanceOf: Error,
    message: 'Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system',
  });
  t.throws(() => settings.set(null as unknown as ProxyConfig), { instanceOf: TypeError });
  t.throws(() => settings.set({ proxyRules: 42 as unknown as string }), { instanceOf: TypeError });
});

test('ProxySettings - a session that never called setProxy takes the command line\'s switches, else the system\'s', async (t) => {
  const switches = (values: Record<string, string>) => ({
    hasSwitch: (name: string) => name in values,
    getSwitchValue: (name: string) => values[name] ?? '',
  });
  t.is(proxyConfigFromSwitches(switches({})), undefined);
  t.deepEqual(proxyConfigFromSwitches(switches({ 'no-proxy-server': '', 'proxy-server': 'p:1' })), { mode: 'direct' });
  t.deepEqual(proxyConfigFromSwitches(switches({ 'proxy-server': 'p:1', 'proxy-bypass-list': '*.a' })), {
    mode: 'fixed_servers',
    proxyRules: 'p:1',
    proxyBypassRules: '*.a',
  });
  const fromSwitch = new ProxySettings(() => proxyConfigFromSwitches(switches({ 'proxy-server': 'cmdline:3128' })));
  t.is(toPacString((await fromSwitch.resolve(new URL('http://a.com/')))!), 'PROXY cmdline:3128');

  const saved = { http: process.env.http_proxy, no: process.env.no_proxy };
  process.env.http_proxy = 'http://envproxy:8080/';
  process.env.no_proxy = 'internal.example';
  try {
    const system = new ProxySettings(() => undefined);
    t.is(toPacString((await system.resolve(new URL('http://a.com/')))!), 'PROXY envproxy:8080');
    t.is(toPacString((await system.resolve(new URL('https://a.com/')))!), 'DIRECT');
    t.is(toPacString((await system.resolve(new URL('http://www.internal.example/')))!), 'DIRECT');
  } finally {
    for (const [name, value] of [['http_proxy', saved.http], ['no_proxy', saved.no]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});

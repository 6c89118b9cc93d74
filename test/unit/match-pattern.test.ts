import test from 'ava';
import { parseMatchPattern } from '../../src/internal/match-pattern.js';
import { headerEntries, parseStatusLine, resourceTypeOf, responseHeadersOf } from '../../src/internal/request-details.js';

const matches = (pattern: string, url: string): boolean => parseMatchPattern(pattern).matches(new URL(url));

test('parseMatchPattern() - Chrome\'s match-pattern grammar', (t) => {
  const cases: Array<[pattern: string, url: string, expected: boolean]> = [
    ['<all_urls>', 'file:///etc/hosts', true],
    ['*://*.example.com/*', 'https://example.com/a', true],
    ['*://*.example.com/*', 'http://www.example.com/a?b=c', true],
    ['*://*.example.com/*', 'http://badexample.com/', false],
    ['*://*/*', 'file:///tmp/x', false],
    ['http://127.0.0.1/filter/*', 'http://127.0.0.1:8080/filter/test', true],
    ['http://127.0.0.1:81/*', 'http://127.0.0.1:8080/', false],
    ['https://h/*', 'https://h:443/x', true],
    ['https://*/*', 'http://h/', false],
    ['http://h/a*c', 'http://h/abbbc', true],
    ['http://h/a?c', 'http://h/abc', false],
    ['custom-scheme://*/*', 'custom-scheme://host/path', true],
  ];
  for (const [pattern, url, expected] of cases) t.is(matches(pattern, url), expected, `${pattern} ~ ${url}`);
});

test('parseMatchPattern() - Fetch globs are supersets of the pattern', (t) => {
  t.is(parseMatchPattern('<all_urls>').glob, '*');
  t.is(parseMatchPattern('*://*.example.com/*').glob, '*://*example.com*/*');
  t.is(parseMatchPattern('http://h:8080/a?b').glob, 'http://h*/a\\?b');
});

test('request details - types, headers and status lines in Electron\'s shapes', (t) => {
  t.is(resourceTypeOf('Document', 'T1', { type: 'page', targetId: 'T1' }), 'mainFrame');
  t.is(resourceTypeOf('Document', 'F2', { type: 'page', targetId: 'T1' }), 'subFrame');
  t.is(resourceTypeOf('Document', 'T3', { type: 'iframe', targetId: 'T3' }), 'subFrame');
  t.is(resourceTypeOf('Fetch', 'T1', { type: 'page', targetId: 'T1' }), 'xhr');
  t.is(resourceTypeOf('Manifest', 'T1', { type: 'page', targetId: 'T1' }), 'other');
  t.deepEqual(responseHeadersOf({ 'Set-Cookie': 'a=1\nb=2', Custom: 'Header' }), { 'Set-Cookie': ['a=1', 'b=2'], Custom: ['Header'] });
  t.deepEqual(responseHeadersOf([{ name: 'X', value: '1' }, { name: 'x', value: '2' }]), { X: ['1', '2'] });
  t.deepEqual(headerEntries({ Good: 'v', 'Bad Name': 'v', Split: 'a\r\nb', Many: ['1', '2'] }), [
    { name: 'Good', value: 'v' },
    { name: 'Many', value: '1, 2' },
  ]);
  t.deepEqual(parseStatusLine('HTTP/1.1 201 Created'), [201, 'Created']);
  t.is(parseStatusLine('nonsense'), undefined);
});

import test from 'ava';
import { readHead } from '../../src/internal/proxy-lane.js';

const head = (text: string): ReturnType<typeof readHead> => readHead(Buffer.from(text, 'latin1'));

test('proxy lane - reads a plain request\'s head: its URL, its length, its body\'s length; the origin-form of it', (t) => {
  const text = 'POST http://a.test:8080/p?q=1 HTTP/1.1\r\nHost: a.test:8080\r\nProxy-Connection: keep-alive\r\nContent-Length: 5\r\n\r\nhello';
  const read = head(text);
  if (typeof read === 'string') return void t.fail(read);
  t.is(read.url.href, 'http://a.test:8080/p?q=1');
  t.is(read.length, text.length - 5);
  t.is(read.bodyLength, 5);
  t.is(read.originForm().toString('latin1'), 'POST /p?q=1 HTTP/1.1\r\nHost: a.test:8080\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\n');
  // No path: `/`; a Connection header already there is kept and Proxy-Connection dropped.
  const bare = head('GET http://b.test HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\nProxy-Connection: keep-alive\r\n\r\n');
  if (typeof bare === 'string') return void t.fail(bare);
  t.is(bare.url.href, 'http://b.test/');
  t.is(bare.bodyLength, 0);
  t.is(bare.originForm().toString('latin1'), 'GET / HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\n\r\n');
});

test('proxy lane - leaves to the full forwarder what it does not pipe; waits for a head that is not all there', (t) => {
  t.is(head('GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n'), 'more');
  t.is(readHead(Buffer.alloc(70 * 1024, 'a')), 'other');
  for (const other of [
    'CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n',
    'GET /relative HTTP/1.1\r\nHost: a.test\r\n\r\n',
    'GET https://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n',
    'GET http://a.test/ HTTP/2\r\n\r\n',
    'POST http://a.test/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n',
    'GET http://a.test/ HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    'GET http://a.test/ HTTP/1.1\r\nProxy-Authorization: Basic eDp5\r\n\r\n',
    'POST http://a.test/ HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n',
    'POST http://a.test/ HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
    'GET http://a.test/ HTTP/1.1\r\nno colon here\r\n\r\n',
  ]) {
    t.is(head(other), 'other', other);
  }
});

import test from 'ava';
import { Cookies } from '../../src/cookies.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { SessionBackend } from '../../src/internal/session-backend.js';

/** A backend whose browser session records commands and refuses cookies named 'refused'. */
function fakeBackend() {
  const calls: Array<{ method: string; params: { cookies?: Array<{ name: string }> } }> = [];
  const root = {
    send: async (method: string, params: { cookies?: Array<{ name: string }> }) => {
      calls.push({ method, params });
      // As Chrome answers: an error reply, which the connection makes a ProtocolError.
      if (params.cookies?.some((c) => c.name === 'refused')) throw new ProtocolError({ method, code: -32602, originalMessage: 'Invalid cookie fields', sessionId: undefined, targetType: undefined });
      return { cookies: [] };
    },
  };
  const backend = { host: { connection: { root } }, browserContextId: 'ctx', targets: {} } as unknown as SessionBackend;
  return { calls, getter: async () => backend };
}

test('Cookies.set() - calls made in one tick go out as one Storage.setCookies, in call order', async (t) => {
  const { calls, getter } = fakeBackend();
  const cookies = new Cookies(getter, null, () => undefined);
  await Promise.all(Array.from({ length: 150 }, (_, i) => cookies.set({ url: 'http://a.test/', name: `c${i}`, value: 'v' })));
  t.is(calls.length, 1);
  t.is(calls[0]!.method, 'Storage.setCookies');
  t.deepEqual(calls[0]!.params.cookies!.map((c) => c.name), Array.from({ length: 150 }, (_, i) => `c${i}`));
});

test('Cookies.set() - a refused cookie rejects alone; the others of its batch are stored', async (t) => {
  const { calls, getter } = fakeBackend();
  const cookies = new Cookies(getter, null, () => undefined);
  const results = await Promise.allSettled([
    cookies.set({ url: 'http://a.test/', name: 'ok1' }),
    cookies.set({ url: 'http://a.test/', name: 'refused' }),
    cookies.set({ url: 'http://a.test/', name: 'ok2' }),
    cookies.set({ url: 'asdf', name: 'invalid-before-sending' }),
  ]);
  t.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected']);
  t.regex(String((results[1] as PromiseRejectedResult).reason), /Failed to set cookie - /);
  t.deepEqual(calls.map((c) => c.params.cookies!.map((x) => x.name).join(',')), ['ok1,refused,ok2', 'ok1', 'refused', 'ok2']);
});

test('Cookies.set() - a failure that is not Chrome refusing a cookie (a timeout, a browser gone) fails the batch as it is', async (t) => {
  const root = { send: async () => Promise.reject(new Error('Protocol error (Storage.setCookies): Connection to the browser closed')) };
  const backend = { host: { connection: { root } }, browserContextId: 'ctx', targets: {} } as unknown as SessionBackend;
  const cookies = new Cookies(async () => backend, null, () => undefined);
  const results = await Promise.allSettled(['a', 'b'].map((name) => cookies.set({ url: 'http://a.test/', name })));
  t.deepEqual(results.map((r) => (r as PromiseRejectedResult).reason?.message), Array(2).fill('Protocol error (Storage.setCookies): Connection to the browser closed'));
});

test('Cookies.get() - waits for the batch in flight, so it reads what was just set', async (t) => {
  const { calls, getter } = fakeBackend();
  const cookies = new Cookies(getter, null, () => undefined);
  void cookies.set({ url: 'http://a.test/', name: 'x' });
  await cookies.get({});
  t.deepEqual(calls.map((c) => c.method), ['Storage.setCookies', 'Storage.getCookies']);
});

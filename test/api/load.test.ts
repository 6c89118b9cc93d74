import test from 'ava';
import { BrowserWindow, session, webContents, type Session } from '../../src/index.js';
import { backendOf } from '../../src/internal/session-backend.js';
import { serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  server.setRoute('/who', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<title>${req.headers.cookie ?? 'nobody'}</title>`);
  });
});

// Load tests share one Chrome with the rest of this file's work: one at a time. Limits are on counts, not time.
test.serial('load - 100 in-memory sessions with a window each on one Chrome, each seeing only its own cookie', async (t) => {
  const sessions = Array.from({ length: 100 }, () => session.fromPartition(uniquePartition('load')));
  await Promise.all(sessions.map((ses, i) => ses.cookies.set({ url: context.server.prefix, name: 'me', value: String(i) })));
  const windows = sessions.map((ses) => new BrowserWindow({ show: false, webPreferences: { session: ses } }));
  try {
    await Promise.all(windows.map((win) => win.loadURL(`${context.server.prefix}/who`)));
    t.deepEqual(
      windows.map((win) => win.webContents.getTitle()),
      sessions.map((_, i) => `me=${i}`),
    );
  } finally {
    await Promise.all(windows.map((win) => win.webContents.close()));
  }
});

test.serial('load - 1,000 concurrent cookie operations over 10 sessions, every result right', async (t) => {
  const sessions: Session[] = Array.from({ length: 10 }, () => session.fromPartition(uniquePartition('cookie-load')));
  const url = context.server.prefix;
  await Promise.all(
    sessions.flatMap((ses, s) =>
      Array.from({ length: 100 }, (_, i) =>
        i % 10 === 9 ? ses.cookies.remove(url, `c${i - 1}`) : ses.cookies.set({ url, name: `c${i}`, value: `${s}-${i}` }),
      ),
    ),
  );
  for (const [s, ses] of sessions.entries()) {
    const cookies = await ses.cookies.get({});
    const expected = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 10 !== 9 && i % 10 !== 8);
    t.deepEqual(cookies.map((c) => c.name).sort(), expected.map((i) => `c${i}`).sort());
    t.true(cookies.every((c) => c.value.startsWith(`${s}-`)));
  }
});

test.serial('load - 100 windows opened and closed leave no page, target or WebContents behind', async (t) => {
  const ses = session.fromPartition(uniquePartition('churn'));
  // 10 rounds: the whole test must stay well inside ava's 60 s without a result.
  for (let round = 0; round < 10; round++) {
    const windows = Array.from({ length: 10 }, () => new BrowserWindow({ show: false, webPreferences: { session: ses } }));
    await Promise.all(windows.map((win) => win.loadURL(`${context.server.prefix}/who`)));
    await Promise.all(windows.map((win) => win.webContents.close()));
  }
  t.is(webContents.getAllWebContents().length, 0);
  t.is(BrowserWindow.getAllWindows().length, 0);
  const backend = await backendOf(ses);
  // At most the one spare page a session that keeps opening windows is given.
  t.true(backend.targets.records().filter((r) => r.status !== 'gone').length <= 1);
});

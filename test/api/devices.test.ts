import test from 'ava';
import { session, type HIDDeviceInfo } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test);
const widget = { vendorId: 0x1234, productId: 0x5678, productName: 'Widget', collections: [{ usagePage: 0xff00, usage: 1 }] };

/** Runs `code` in the window's page as if the user had clicked (device choosers need a gesture). */
const inPage = <T>(win: Awaited<ReturnType<typeof openWindow>>, code: string): Promise<T> => win.webContents.executeJavaScript(`(async () => { ${code} })()`, true) as Promise<T>;

test('WebHID - the chooser lists the devices the filters match; the pick exchanges output, input and feature reports', async (t) => {
  const ses = session.fromPartition(uniquePartition('hid'));
  const device = ses.devices.addHID(widget);
  ses.devices.addHID({ vendorId: 0x9999, productId: 1, productName: 'Other' });
  const offered: HIDDeviceInfo[][] = [];
  const askers: unknown[] = [];
  ses.on('select-hid-device', (_event, details, callback) => {
    offered.push(details.deviceList);
    askers.push(details.frame);
    callback(details.deviceList[0]?.deviceId);
  });
  const outputs: number[][] = [];
  device.on('output-report', (reportId: number, data: Buffer) => {
    outputs.push([reportId, ...data]);
    device.sendInputReport(2, [9, 8, 7]);
  });
  const features: number[][] = [];
  device.on('feature-report', (reportId: number, data: Buffer) => features.push([reportId, ...data]));
  device.featureReport = (reportId) => [reportId, 42];
  const win = await openWindow(t, ses, `${context.server.prefix}/hid`);
  const result = await inPage<Record<string, unknown>>(win, `
    const [d] = await navigator.hid.requestDevice({ filters: [{ vendorId: 0x1234, usagePage: 0xff00 }] });
    await d.open();
    const input = new Promise((resolve) => { d.oninputreport = (e) => resolve([e.reportId, ...new Uint8Array(e.data.buffer)]); });
    await d.sendReport(1, new Uint8Array([1, 2, 3]));
    await d.sendFeatureReport(3, new Uint8Array([4]));
    const feature = await d.receiveFeatureReport(5);
    const listed = await navigator.hid.getDevices();
    return { name: d.productName, vendorId: d.vendorId, opened: d.opened, isHIDDevice: d instanceof HIDDevice,
      input: await input, feature: [...new Uint8Array(feature.buffer)], same: listed.length === 1 && listed[0] === d };`);
  // The chooser names the frame that asked.
  t.deepEqual(askers, [win.webContents.mainFrame]);
  t.deepEqual(result, { name: 'Widget', vendorId: 0x1234, opened: true, isHIDDevice: true, input: [2, 9, 8, 7], feature: [5, 42], same: true });
  t.deepEqual(outputs, [[1, 1, 2, 3]]);
  t.deepEqual(features, [[3, 4]]);
  t.is(offered.length, 1);
  t.like(offered[0], [{ deviceId: device.deviceId, name: 'Widget', vendorId: 0x1234, productId: 0x5678 }]);
  t.is(offered[0]!.length, 1);
});

test('WebHID - a chooser cancelled, left unanswered or with no listener gives []; an answer after preventDefault() is taken', async (t) => {
  const ses = session.fromPartition(uniquePartition('hid'));
  const device = ses.devices.addHID(widget);
  const win = await openWindow(t, ses, `${context.server.prefix}/hid`);
  // First, before any gesture (a user activation lasts a few seconds).
  const withoutGesture = await win.webContents.executeJavaScript("navigator.hid.requestDevice({ filters: [] }).then(() => 'resolved', (e) => e.name + ': ' + e.message)");
  t.is(withoutGesture, "SecurityError: Failed to execute 'requestDevice' on 'HID': Must be handling a user gesture to show a permission request.");
  const request = "return (await navigator.hid.requestDevice({ filters: [] })).map((d) => d.productName);";
  t.deepEqual(await inPage(win, request), [], 'no listener');
  const onSelect = (_event: unknown, _details: unknown, callback: (id?: string | null) => void): void => callback();
  ses.on('select-hid-device', onSelect);
  t.deepEqual(await inPage(win, request), [], 'cancelled');
  ses.off('select-hid-device', onSelect);
  const ignore = (): void => undefined;
  ses.on('select-hid-device', ignore);
  t.deepEqual(await inPage(win, request), [], 'unanswered without preventDefault()');
  ses.off('select-hid-device', ignore);
  ses.once('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    setTimeout(() => callback(details.deviceList[0]!.deviceId), 50);
  });
  t.deepEqual(await inPage(win, request), ['Widget'], 'answered later');
  t.is(device.productName, 'Widget');
});

test('WebHID - plugged in during a prompt (hid-device-added), unplugged while open (disconnect), forget() revokes', async (t) => {
  const ses = session.fromPartition(uniquePartition('hid'));
  const events: string[] = [];
  ses.on('hid-device-added', (_event, details) => events.push(`added ${details.device.name}`));
  ses.on('hid-device-revoked', (_event, details) => events.push(`revoked ${details.device.name} ${details.origin}`));
  ses.once('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    events.push(`offered ${details.deviceList.length}`);
    const late = ses.devices.addHID(widget);
    callback(late.deviceId);
  });
  const win = await openWindow(t, ses, `${context.server.prefix}/hid`);
  t.deepEqual(await inPage(win, "return (await navigator.hid.requestDevice({ filters: [] })).map((d) => d.productName);"), ['Widget']);
  const [late] = ses.devices.list();
  await inPage(win, "window.lost = new Promise((resolve) => navigator.hid.addEventListener('disconnect', (e) => resolve(e.device.productName + ' ' + e.device.opened))); await (await navigator.hid.getDevices())[0].open();");
  ses.devices.remove(late!);
  t.is(await win.webContents.executeJavaScript('window.lost'), 'Widget false');
  t.deepEqual(await inPage(win, 'return (await navigator.hid.getDevices()).length;'), 0);

  const again = ses.devices.addHID(widget);
  ses.once('select-hid-device', (_event, _details, callback) => callback(again.deviceId));
  await inPage(win, "const [d] = await navigator.hid.requestDevice({ filters: [] }); await d.forget();");
  t.deepEqual(await inPage(win, 'return (await navigator.hid.getDevices()).length;'), 0);
  t.deepEqual(events, ['offered 0', 'added Widget', `revoked Widget ${context.server.prefix}`]);
});

test('Web Serial - the chooser, open options, data both ways, signals; no listener rejects with Chrome\'s NotFoundError', async (t) => {
  const ses = session.fromPartition(uniquePartition('serial'));
  const win = await openWindow(t, ses, `${context.server.prefix}/serial`);
  const notFound = await inPage(win, "return navigator.serial.requestPort().then(() => 'resolved', (e) => e.name + ': ' + e.message);");
  t.is(notFound, "NotFoundError: Failed to execute 'requestPort' on 'Serial': No port selected by the user.");

  const port = ses.devices.addSerialPort({ vendorId: '9025', productId: '67', displayName: 'Arduino' });
  ses.devices.addSerialPort({ vendorId: '1', productId: '2', displayName: 'Other' });
  const offered: string[][] = [];
  ses.on('select-serial-port', (_event, portList, webContents, callback) => {
    offered.push(portList.map((entry) => `${entry.displayName} ${entry.vendorId}:${entry.productId}`));
    t.is(webContents, win.webContents);
    callback(portList[0]?.portId);
  });
  const written: string[] = [];
  port.on('data', (data: Buffer) => {
    written.push(data.toString());
    port.write('pong');
  });
  const signals: unknown[] = [];
  port.on('signals', (value) => signals.push(value));
  port.signals = { ...port.signals, clearToSend: true };
  const result = await inPage<Record<string, unknown>>(win, `
    const p = await navigator.serial.requestPort({ filters: [{ usbVendorId: 9025 }] });
    await p.open({ baudRate: 115200 });
    const reader = p.readable.getReader();
    const writer = p.writable.getWriter();
    await writer.write(new TextEncoder().encode('ping'));
    const { value } = await reader.read();
    await p.setSignals({ dataTerminalReady: true });
    const got = await p.getSignals();
    reader.releaseLock();
    writer.releaseLock();
    return { info: p.getInfo(), read: new TextDecoder().decode(value), cts: got.clearToSend, ports: (await navigator.serial.getPorts()).length };`);
  t.deepEqual(result, { info: { usbVendorId: 9025, usbProductId: 67 }, read: 'pong', cts: true, ports: 1 });
  t.deepEqual(offered, [['Arduino 9025:67']]);
  t.deepEqual(written, ['ping']);
  t.deepEqual(port.openOptions, { baudRate: 115200 });
  t.deepEqual(signals, [{ dataTerminalReady: true }]);
});

test('permission handlers - the check handler can refuse hid; the device permission handler grants without a chooser; partitions never share devices', async (t) => {
  const ses = session.fromPartition(uniquePartition('hid'));
  const other = session.fromPartition(uniquePartition('hid'));
  ses.devices.addHID(widget);
  let chooserOpened = false;
  ses.on('select-hid-device', (_event, details, callback) => {
    chooserOpened = true;
    callback(details.deviceList[0]?.deviceId);
  });
  const checked: string[] = [];
  ses.setPermissionCheckHandler((_webContents, permission, origin) => {
    checked.push(`${permission} ${origin}`);
    return permission !== 'hid';
  });
  const win = await openWindow(t, ses, `${context.server.prefix}/hid`);
  t.deepEqual(await inPage(win, 'return (await navigator.hid.requestDevice({ filters: [] })).length;'), 0);
  t.false(chooserOpened);
  t.true(checked.includes(`hid ${context.server.prefix}/`));
  ses.setPermissionCheckHandler(null);

  const asked: string[] = [];
  ses.setDevicePermissionHandler((details) => {
    asked.push(`${details.deviceType} ${details.origin}`);
    return details.deviceType === 'hid';
  });
  t.deepEqual(await inPage(win, 'return (await navigator.hid.getDevices()).map((d) => d.productName);'), ['Widget']);
  t.true(asked.includes(`hid ${context.server.prefix}`));
  t.throws(() => ses.setDevicePermissionHandler('yes' as never), { instanceOf: TypeError, message: 'Must pass null or function' });

  other.setDevicePermissionHandler(() => true);
  other.on('select-hid-device', (_event, details, callback) => callback(details.deviceList[0]?.deviceId));
  const elsewhere = await openWindow(t, other, `${context.server.prefix}/hid`);
  t.deepEqual(await inPage(elsewhere, 'return [(await navigator.hid.getDevices()).length, (await navigator.hid.requestDevice({ filters: [] })).length];'), [0, 0]);
});

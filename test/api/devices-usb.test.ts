import test from 'ava';
import { session, type USBControlSetup } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test, (server) => {
  // A dedicated worker that uses the devices the page's origin was granted, and reports plugging.
  server.setRoute('/device-worker.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(`
      navigator.usb.addEventListener('connect', (event) => postMessage({ connected: event.device.productName }));
      onmessage = async () => {
        const shape = { choosers: ['requestDevice' in navigator.hid, 'requestDevice' in navigator.usb, 'requestPort' in navigator.serial],
          hid: (await navigator.hid.getDevices()).map((device) => device.productName) };
        const [d] = await navigator.usb.getDevices();
        await d.open();
        await d.selectConfiguration(1);
        await d.claimInterface(0);
        await d.transferOut(2, new TextEncoder().encode('from worker'));
        const got = await d.transferIn(1, 64);
        const [p] = await navigator.serial.getPorts();
        await p.open({ baudRate: 9600 });
        const writer = p.writable.getWriter();
        await writer.write(new TextEncoder().encode('serial from worker'));
        writer.releaseLock();
        postMessage({ ...shape, usb: new TextDecoder().decode(got.data), port: p.getInfo() });
      };`);
  });
});

/** A vendor-specific device: one configuration, one interface with a bulk IN (1) and a bulk OUT (2) endpoint. */
const board = (interfaceClass = 0xff) => ({
  vendorId: 0x2341,
  productId: 0x8036,
  productName: 'Board',
  manufacturerName: 'Maker',
  serialNumber: 'B-1',
  configurations: [
    {
      configurationValue: 1,
      interfaces: [
        {
          interfaceNumber: 0,
          alternates: [
            {
              alternateSetting: 0,
              interfaceClass,
              endpoints: [
                { endpointNumber: 1, direction: 'in' as const, type: 'bulk' as const },
                { endpointNumber: 2, direction: 'out' as const, type: 'bulk' as const },
              ],
            },
          ],
        },
      ],
    },
  ],
});

const inPage = <T>(win: Awaited<ReturnType<typeof openWindow>>, code: string): Promise<T> => win.webContents.executeJavaScript(`(async () => { ${code} })()`, true) as Promise<T>;

test('WebUSB - the chooser, then configuration, interface, bulk and control transfers both ways', async (t) => {
  const ses = session.fromPartition(uniquePartition('usb'));
  const device = ses.devices.addUSB(board());
  ses.devices.addUSB({ vendorId: 1, productId: 2, productName: 'Other' });
  const offered: string[][] = [];
  ses.on('select-usb-device', (_event, details, callback) => {
    offered.push(details.deviceList.map((entry) => `${entry.productName} ${entry.manufacturerName} ${entry.serialNumber}`));
    callback(details.deviceList[0]?.deviceId);
  });
  const seen: string[] = [];
  device.on('claim-interface', (interfaceNumber: number) => seen.push(`claim ${interfaceNumber}`));
  device.on('transfer-out', (endpointNumber: number, data: Buffer) => {
    seen.push(`out ${endpointNumber} ${data.toString()}`);
    device.pushIn(1, `echo ${data.toString()}`);
  });
  device.on('control-transfer-out', (setup: USBControlSetup, data: Buffer) => seen.push(`control ${setup.request} ${[...data]}`));
  device.controlTransferIn = (setup, length) => [setup.request, setup.value, length];
  const win = await openWindow(t, ses, `${context.server.prefix}/usb`);
  const result = await inPage<Record<string, unknown>>(win, `
    const d = await navigator.usb.requestDevice({ filters: [{ vendorId: 0x2341 }] });
    await d.open();
    await d.selectConfiguration(1);
    await d.claimInterface(0);
    const out = await d.transferOut(2, new TextEncoder().encode('hi'));
    const got = await d.transferIn(1, 64);
    const control = await d.controlTransferIn({ requestType: 'vendor', recipient: 'device', request: 7, value: 3, index: 0 }, 8);
    await d.controlTransferOut({ requestType: 'vendor', recipient: 'device', request: 9, value: 0, index: 0 }, new Uint8Array([5]));
    const unclaimed = await d.transferIn(5, 8).then(() => 'resolved', (e) => e.name);
    return { name: d.productName, claimed: d.configuration.interfaces[0].claimed, written: out.bytesWritten, read: new TextDecoder().decode(got.data),
      control: [control.status, ...new Uint8Array(control.data.buffer)], unclaimed, same: (await navigator.usb.getDevices())[0] === d };`);
  t.deepEqual(result, { name: 'Board', claimed: true, written: 2, read: 'echo hi', control: ['ok', 7, 3, 8], unclaimed: 'NotFoundError', same: true });
  t.deepEqual(offered, [['Board Maker B-1']]);
  t.deepEqual(seen, ['claim 0', 'out 2 hi', 'control 9 5']);
});

test('WebUSB - no device chosen rejects with Chrome\'s NotFoundError; protected classes, and the handler that lifts them', async (t) => {
  const ses = session.fromPartition(uniquePartition('usb'));
  const win = await openWindow(t, ses, `${context.server.prefix}/usb`);
  t.is(
    await inPage(win, "return navigator.usb.requestDevice({ filters: [] }).then(() => 'resolved', (e) => e.name + ': ' + e.message);"),
    "NotFoundError: Failed to execute 'requestDevice' on 'USB': No device selected.",
  );
  // A HID-class interface: Chrome keeps pages off it.
  const keyboard = ses.devices.addUSB(board(0x03));
  ses.on('select-usb-device', (_event, details, callback) => callback(details.deviceList[0]?.deviceId));
  const claim = "const d = (await navigator.usb.getDevices())[0] ?? await navigator.usb.requestDevice({ filters: [] }); await d.open(); return d.claimInterface(0).then(() => 'claimed', (e) => e.name + ': ' + e.message);";
  t.is(await inPage(win, claim), "SecurityError: Failed to execute 'claimInterface' on 'USBDevice': The requested interface implements a protected class.");
  const offered: string[][] = [];
  ses.setUSBProtectedClassesHandler((details) => {
    offered.push(details.protectedClasses);
    return details.protectedClasses.filter((name) => name !== 'hid');
  });
  t.is(await inPage(win, claim), 'claimed');
  t.true(offered[0]!.includes('hid') && offered[0]!.includes('mass-storage'));

  const revoked: string[] = [];
  ses.on('usb-device-revoked', (_event, details) => revoked.push(`${details.device.productName} ${details.origin}`));
  await inPage(win, 'await (await navigator.usb.getDevices())[0].forget();');
  t.deepEqual(revoked, [`Board ${context.server.prefix}`]);
  t.is(await inPage(win, 'return (await navigator.usb.getDevices()).length;'), 0);
  ses.setDevicePermissionHandler((details) => details.deviceType === 'usb' && details.device.deviceId === keyboard.deviceId);
  t.is(await inPage(win, 'return (await navigator.usb.getDevices()).length;'), 1);
});

test('WebUSB, Web Serial and WebHID in a dedicated worker - granted devices, transfers, plugging; no choosers there', async (t) => {
  const ses = session.fromPartition(uniquePartition('usb'));
  const device = ses.devices.addUSB(board());
  const port = ses.devices.addSerialPort({ vendorId: '9025', productId: '67', displayName: 'Arduino' });
  ses.devices.addHID({ vendorId: 0x46d, productId: 0xc52b, productName: 'Pad', collections: [] });
  ses.setDevicePermissionHandler(() => true);
  const seen: string[] = [];
  device.on('transfer-out', (_endpoint: number, data: Buffer) => {
    seen.push(`usb ${data.toString()}`);
    device.pushIn(1, 'to worker');
  });
  const serialData = new Promise<string>((resolve) => port.on('data', (data: Buffer) => resolve(data.toString())));
  const win = await openWindow(t, ses, `${context.server.prefix}/worker-page`);
  await inPage(win, `
    window.worker = new Worker('/device-worker.js');
    window.messages = [];
    window.next = () => new Promise((resolve) => window.worker.addEventListener('message', (event) => resolve(event.data), { once: true }));`);
  const result = await inPage<Record<string, unknown>>(win, 'const reply = next(); worker.postMessage("go"); return reply;');
  t.deepEqual(result, { choosers: [false, false, false], hid: ['Pad'], usb: 'to worker', port: { usbVendorId: 9025, usbProductId: 67 } });
  t.deepEqual(seen, ['usb from worker']);
  t.is(await serialData, 'serial from worker');

  const connected = inPage<Record<string, unknown>>(win, 'return next();');
  // The page's next() listens before the device is plugged: its evaluation has returned by then.
  await inPage(win, 'return 1;');
  ses.devices.addUSB({ ...board(), productName: 'Second', serialNumber: 'B-2' });
  t.deepEqual(await connected, { connected: 'Second' });
});

test('WebUSB - isochronous transfers: packets out reach the device, packets in come back in one buffer', async (t) => {
  const ses = session.fromPartition(uniquePartition('usb'));
  const endpoints = [
    { endpointNumber: 3, direction: 'in' as const, type: 'isochronous' as const },
    { endpointNumber: 4, direction: 'out' as const, type: 'isochronous' as const },
  ];
  const device = ses.devices.addUSB({
    vendorId: 0x1234,
    productId: 0x5678,
    productName: 'Streamer',
    configurations: [{ configurationValue: 1, interfaces: [{ interfaceNumber: 0, alternates: [{ alternateSetting: 0, interfaceClass: 0xff, endpoints }] }] }],
  });
  ses.setDevicePermissionHandler(() => true);
  const sent: string[][] = [];
  device.on('isochronous-transfer-out', (endpointNumber: number, packets: Buffer[]) => sent.push([String(endpointNumber), ...packets.map(String)]));
  device.isochronousTransferIn = (endpointNumber, packetLengths) => [[endpointNumber, 1], { status: 'babble', data: [9] }, new Uint8Array(packetLengths[2]!).fill(7)];
  const win = await openWindow(t, ses, `${context.server.prefix}/iso`);
  const result = await inPage<Record<string, unknown>>(win, `
    const [d] = await navigator.usb.getDevices();
    await d.open();
    await d.selectConfiguration(1);
    await d.claimInterface(0);
    const out = await d.isochronousTransferOut(4, new TextEncoder().encode('aabbbc'), [2, 3, 1]);
    const got = await d.isochronousTransferIn(3, [4, 2, 3]);
    const wrongWay = await d.isochronousTransferIn(4, [1]).then(() => 'resolved', (e) => e.name);
    return { out: out.packets, total: got.data.byteLength,
      packets: got.packets.map((p) => [p.status, ...new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)]), wrongWay };`);
  t.deepEqual(result, {
    out: [{ bytesWritten: 2, status: 'ok' }, { bytesWritten: 3, status: 'ok' }, { bytesWritten: 1, status: 'ok' }],
    total: 9,
    packets: [['ok', 3, 1], ['babble', 9], ['ok', 7, 7, 7]],
    wrongWay: 'NotFoundError',
  });
  t.deepEqual(sent, [['4', 'aa', 'bbb', 'c']]);
});

import test from 'ava';
import { session, type BluetoothDeviceInfo } from '../../src/index.js';
import { openWindow, serverAndApp, uniquePartition } from '../helpers/setup.js';

const context = serverAndApp(test);

/** Runs `code` in the window's page as if the user had clicked (choosers need a gesture). */
const inPage = <T>(win: Awaited<ReturnType<typeof openWindow>>, code: string): Promise<T> => win.webContents.executeJavaScript(`(async () => { ${code} })()`, true) as Promise<T>;

const heartRate = {
  name: 'Pulse',
  services: [
    {
      uuid: 'heart_rate',
      characteristics: [
        { uuid: 'heart_rate_measurement', properties: ['notify' as const] },
        { uuid: 'body_sensor_location', properties: ['read' as const], value: [1] },
        { uuid: 'heart_rate_control_point', properties: ['write' as const] },
      ],
    },
    { uuid: 0x180f, characteristics: [{ uuid: 'battery_level', properties: ['read' as const, 'notify' as const], value: [87] }] },
  ],
};

test("Web Bluetooth - 'select-bluetooth-device' lists what the filters match; the pick reads, writes and gets notifications", async (t) => {
  const ses = session.fromPartition(uniquePartition('bluetooth'));
  const pulse = ses.devices.addBluetooth(heartRate);
  ses.devices.addBluetooth({ name: 'Lamp', services: [{ uuid: 0xff00 }] });
  const win = await openWindow(t, ses, `${context.server.prefix}/bt`);
  const offered: BluetoothDeviceInfo[][] = [];
  win.webContents.on('select-bluetooth-device', (event, devices, callback) => {
    event.preventDefault();
    offered.push(devices);
    setTimeout(() => callback(devices[0]!.deviceId), 20);
  });
  const writes: unknown[] = [];
  pulse.on('write', (service: string, characteristic: string, value: Uint8Array, withResponse: boolean) => {
    writes.push([service.slice(4, 8), characteristic.slice(4, 8), [...value], withResponse]);
    pulse.notify('heart_rate', 'heart_rate_measurement', [0, 72]);
  });
  const result = await inPage<Record<string, unknown>>(win, `
    const device = await navigator.bluetooth.requestDevice({ filters: [{ services: ['heart_rate'] }], optionalServices: [0x180f] });
    const server = await device.gatt.connect();
    const service = await server.getPrimaryService('heart_rate');
    const location = await (await service.getCharacteristic('body_sensor_location')).readValue();
    const measurement = await service.getCharacteristic(0x2a37);
    await measurement.startNotifications();
    const beat = new Promise((resolve) => measurement.addEventListener('characteristicvaluechanged', (e) => resolve([...new Uint8Array(e.target.value.buffer)])));
    await (await service.getCharacteristic('heart_rate_control_point')).writeValueWithResponse(new Uint8Array([1]));
    const battery = await (await (await server.getPrimaryService('battery_service')).getCharacteristic('battery_level')).readValue();
    const services = (await server.getPrimaryServices()).map((s) => s.uuid);
    const known = await navigator.bluetooth.getDevices();
    return { name: device.name, connected: server.connected, location: location.getUint8(0), beat: await beat, battery: battery.getUint8(0),
      services, same: known.length === 1 && known[0] === device, isDevice: device instanceof BluetoothDevice,
      uuid: BluetoothUUID.getService('heart_rate') };`);
  t.deepEqual(result, {
    name: 'Pulse',
    connected: true,
    location: 1,
    beat: [0, 72],
    battery: 87,
    services: ['0000180d-0000-1000-8000-00805f9b34fb', '0000180f-0000-1000-8000-00805f9b34fb'],
    same: true,
    isDevice: true,
    uuid: '0000180d-0000-1000-8000-00805f9b34fb',
  });
  t.deepEqual(offered, [[{ deviceName: 'Pulse', deviceId: pulse.deviceId }]]);
  t.deepEqual(writes, [['180d', '2a39', [1], true]]);
});

test("Web Bluetooth - Chrome's errors: services not asked for, operations a characteristic lacks, bad names, no gesture", async (t) => {
  const ses = session.fromPartition(uniquePartition('bluetooth'));
  ses.devices.addBluetooth(heartRate);
  const win = await openWindow(t, ses, `${context.server.prefix}/bt`);
  const errors = await inPage<string[]>(win, `
    const name = (p) => p.then(() => 'ok', (e) => e.name + ': ' + e.message);
    const device = await navigator.bluetooth.requestDevice({ filters: [{ namePrefix: 'Pu' }] });
    const server = await device.gatt.connect();
    const service = await server.getPrimaryService('heart_rate').catch((e) => e);
    return [
      await name(navigator.bluetooth.requestDevice({})),
      String(service),
      await name(server.getPrimaryService('no_such_service')),
      await name(server.getPrimaryService('battery_service')),
    ];`);
  t.regex(errors[0]!, /^TypeError: Failed to execute 'requestDevice' on 'Bluetooth': Either 'filters' should be present or 'acceptAllDevices' should be true, but not both\.$/);
  // namePrefix alone names no service: every one is out of reach.
  t.regex(errors[1]!, /^SecurityError: Origin is not allowed to access the service\./);
  t.regex(errors[2]!, /^TypeError: Failed to execute 'getPrimaryService' on 'BluetoothRemoteGATTServer': Invalid Service name: 'no_such_service'/);
  t.regex(errors[3]!, /^SecurityError: Origin is not allowed to access the service\./);

  const more = await inPage<string[]>(win, `
    const name = (p) => p.then(() => 'ok', (e) => e.name + ': ' + e.message);
    const device = await navigator.bluetooth.requestDevice({ filters: [{ services: ['heart_rate'] }] });
    const server = await device.gatt.connect();
    const service = await server.getPrimaryService('heart_rate');
    const measurement = await service.getCharacteristic('heart_rate_measurement');
    const result = [await name(measurement.readValue()), await name(measurement.writeValue(new Uint8Array([1])))];
    server.disconnect();
    result.push(await name(measurement.readValue()), String(server.connected));
    return result;`);
  t.deepEqual(more, [
    'NotSupportedError: GATT operation not permitted.',
    'NotSupportedError: GATT operation not permitted.',
    "NetworkError: Failed to execute 'readValue' on 'BluetoothRemoteGATTCharacteristic': GATT Server is disconnected. Cannot perform GATT operations. (Re)connect first with `device.gatt.connect`.",
    'false',
  ]);
  // A page no one has clicked in.
  const untouched = await openWindow(t, ses, `${context.server.prefix}/bt`);
  const noGesture = await untouched.webContents.executeJavaScript(`navigator.bluetooth.requestDevice({ acceptAllDevices: true }).then(() => 'ok', (e) => e.name)`);
  t.is(noGesture, 'SecurityError');
});

test("Web Bluetooth - unanswered, the first device is taken (Electron's rule); '' cancels; a device going away disconnects the page", async (t) => {
  const ses = session.fromPartition(uniquePartition('bluetooth'));
  const pulse = ses.devices.addBluetooth(heartRate);
  const win = await openWindow(t, ses, `${context.server.prefix}/bt`);
  const request = `navigator.bluetooth.requestDevice({ acceptAllDevices: true }).then((d) => d.name, (e) => e.name + ': ' + e.message)`;
  t.is(await win.webContents.executeJavaScript(request, true), 'Pulse');
  win.webContents.on('select-bluetooth-device', (_event, _devices, callback) => callback(''));
  t.is(await win.webContents.executeJavaScript(request, true), 'NotFoundError: User cancelled the requestDevice() chooser.');
  const dropped = inPage<string>(win, `
    const [device] = await navigator.bluetooth.getDevices();
    await device.gatt.connect();
    window.connectedNow = true;
    return new Promise((resolve) => device.addEventListener('gattserverdisconnected', () => resolve('disconnected ' + device.gatt.connected)));`);
  // The page connects, then the peripheral drops the link.
  const opened = new Promise((resolve) => pulse.once('open', resolve));
  await opened;
  pulse.disconnect();
  t.is(await dropped, 'disconnected false');
  const other = await openWindow(t, session.fromPartition(uniquePartition('bluetooth')), `${context.server.prefix}/bt`);
  t.deepEqual(await other.webContents.executeJavaScript('navigator.bluetooth.getDevices().then((list) => list.length)'), 0);
});

test('setBluetoothPairingHandler() - a device that asks for pairing connects once the handler confirms (the PIN, when it asks for one); none cancels', async (t) => {
  const ses = session.fromPartition(uniquePartition('bluetooth'));
  const lock = ses.devices.addBluetooth({ name: 'Lock', services: [{ uuid: 0xfff0 }], pairing: 'providePin', pin: '1234' });
  const win = await openWindow(t, ses, `${context.server.prefix}/bt`);
  const connect = `navigator.bluetooth.getDevices().then(async ([device]) => {
    if (!device) device = await navigator.bluetooth.requestDevice({ acceptAllDevices: true });
    return device.gatt.connect().then(() => 'connected', (e) => e.name + ': ' + e.message);
  })`;
  t.is(await win.webContents.executeJavaScript(connect, true), 'NetworkError: Authentication canceled.');
  const asked: unknown[] = [];
  let pin = '0000';
  ses.setBluetoothPairingHandler((details, callback) => {
    asked.push(details);
    callback({ confirmed: true, pin });
  });
  t.is(await win.webContents.executeJavaScript(connect, true), 'NetworkError: Authentication failed.');
  pin = '1234';
  t.is(await win.webContents.executeJavaScript(connect, true), 'connected');
  const { frame, ...rest } = asked[0] as { frame: unknown };
  t.deepEqual(rest, { deviceId: lock.deviceId, pairingKind: 'providePin' });
  // The frame that connects.
  t.is(frame, win.webContents.mainFrame);
  t.is(asked.length, 2);
  // Paired: a later connection asks nobody.
  t.is(await win.webContents.executeJavaScript(`navigator.bluetooth.getDevices().then(([d]) => { d.gatt.disconnect(); return d.gatt.connect(); }).then(() => 'again')`, true), 'again');
  t.is(asked.length, 2);
  t.throws(() => ses.setBluetoothPairingHandler('no' as never), { instanceOf: TypeError, message: 'Must pass null or function' });
});

/**
 * A WebHID page tested with no hardware and nobody to click the chooser:
 * `node dist/examples/ci-device-prompt.js`. A virtual HID device stands in for
 * a LED controller; the test picks it in `select-hid-device`, the page (as it
 * would with the real device) asks for it on a button click, sends an output
 * report to turn the LED on, and shows the device's answer.
 *
 * Physical devices are out of reach of headless Chrome over CDP: virtual
 * devices are what a CI run can script.
 */
import { session, BrowserWindow } from '../src/index.js';
import { startExample, statusOf } from './example-kit.js';

const PAGE = `<!doctype html><title>LED</title>
<button id="connect">Connect</button><p id="status">no device</p>
<script>
  document.getElementById('connect').onclick = async () => {
    const [device] = await navigator.hid.requestDevice({ filters: [{ vendorId: 0x16c0 }] });
    if (!device) return;
    await device.open();
    device.oninputreport = (event) => {
      document.getElementById('status').textContent = 'LED ' + (event.data.getUint8(0) ? 'on' : 'off');
    };
    await device.sendReport(1, new Uint8Array([1]));
  };
</script>`;

const { port, stop } = await startExample('ci-device-prompt', PAGE);

const ses = session.fromPartition('ci-devices');
const led = ses.devices.addHID({ vendorId: 0x16c0, productId: 0x05df, productName: 'LED controller', collections: [{ usagePage: 0xff00, usage: 1 }] });
// The device: every output report sets the LED and reports its state back.
led.on('output-report', (_reportId: number, data: Buffer) => led.sendInputReport(1, [data[0] ?? 0]));
// The chooser: pick the LED controller.
ses.on('select-hid-device', (_event, { deviceList }, callback) => callback(deviceList.find((device) => device.name === 'LED controller')?.deviceId));

const win = new BrowserWindow({ show: false, webPreferences: { session: ses } });
await win.loadURL(`http://127.0.0.1:${port}/`);
// A click is a user gesture, as requestDevice() requires.
await win.webContents.executeJavaScript("document.getElementById('connect').click()", true);
console.log(`page says: ${await statusOf(win, 'no device')}`);
await stop();

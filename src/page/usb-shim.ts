/**
 * WebUSB's `navigator.usb` over the session's virtual USB devices, installed
 * right after device-shims.ts (serialized with `toString()`; it uses the kit
 * that script leaves: the request channel, base64, the gesture rule, events).
 * Configurations, interfaces and endpoints come from the device's descriptor;
 * the page's state rules (open, configured, claimed) are checked here with
 * Chrome's messages; transfers go to the device in Node.
 */
export function installUsbShim(): void {
  const scope = globalThis as any;
  const kit = scope.__chromeSessionDeviceKit;
  if (!kit || scope.__chromeSessionUsbShim) return;
  Object.defineProperty(scope, '__chromeSessionUsbShim', { value: true });
  const { ask, toBase64, fromBase64, bytesOf, gesture, fire } = kit;
  const fail = (method: string, message: string, name: string): never => {
    throw new DOMException(`Failed to execute '${method}' on 'USBDevice': ${message}`, name);
  };
  const inResult = (result: { status: string; data: string }) => ({ status: result.status, data: new DataView(fromBase64(result.data).buffer) });
  const describe = (configuration: any) => ({
    configurationValue: configuration.configurationValue,
    configurationName: configuration.configurationName ?? null,
    interfaces: configuration.interfaces.map((iface: any) => {
      const alternates = iface.alternates.map((alternate: any) => ({
        alternateSetting: alternate.alternateSetting,
        interfaceClass: alternate.interfaceClass,
        interfaceSubclass: alternate.interfaceSubclass ?? 0,
        interfaceProtocol: alternate.interfaceProtocol ?? 0,
        interfaceName: alternate.interfaceName ?? null,
        endpoints: (alternate.endpoints ?? []).map((endpoint: any) => ({ packetSize: 64, ...endpoint })),
      }));
      return { interfaceNumber: iface.interfaceNumber, alternate: alternates[0], alternates, claimed: false };
    }),
  });

  class USBDevice {
    opened = false;
    configuration: any = null;
    readonly configurations: any[];
    readonly #id: string;
    [key: string]: unknown;
    constructor(info: any) {
      const { deviceId, configurations, ...fields } = info;
      Object.assign(this, fields);
      this.#id = deviceId;
      this.configurations = configurations.map(describe);
      this.configuration = this.configurations[0] ?? null;
    }
    #open(method: string): void {
      if (!this.opened) fail(method, 'The device must be opened first.', 'InvalidStateError');
    }
    #interface(method: string, interfaceNumber: number): any {
      this.#open(method);
      if (!this.configuration) fail(method, 'The device must have a configuration selected.', 'InvalidStateError');
      const found = this.configuration.interfaces.find((iface: any) => iface.interfaceNumber === interfaceNumber);
      return found ?? fail(method, 'The interface number provided is not supported by the device in its current configuration.', 'NotFoundError');
    }
    #endpoint(method: string, direction: string, endpointNumber: number): void {
      this.#open(method);
      const claimed = this.configuration?.interfaces.filter((iface: any) => iface.claimed) ?? [];
      const found = claimed.some((iface: any) => iface.alternate.endpoints.some((e: any) => e.endpointNumber === endpointNumber && e.direction === direction));
      if (!found) fail(method, 'The specified endpoint is not part of a claimed and selected alternate interface.', 'NotFoundError');
    }
    async open(): Promise<void> {
      if (this.opened) return;
      await ask('usb.open', { deviceId: this.#id });
      this.opened = true;
    }
    async close(): Promise<void> {
      if (!this.opened) return;
      await ask('usb.close', { deviceId: this.#id });
      this.opened = false;
      for (const iface of this.configuration?.interfaces ?? []) iface.claimed = false;
    }
    async forget(): Promise<void> {
      await ask('usb.forget', { deviceId: this.#id });
      this.opened = false;
    }
    async selectConfiguration(configurationValue: number): Promise<void> {
      this.#open('selectConfiguration');
      const found = this.configurations.find((configuration) => configuration.configurationValue === configurationValue);
      if (!found) fail('selectConfiguration', 'The configuration value provided is not supported by the device.', 'NotFoundError');
      await ask('usb.selectConfiguration', { deviceId: this.#id, configurationValue });
      this.configuration = found;
    }
    async claimInterface(interfaceNumber: number): Promise<void> {
      const iface = this.#interface('claimInterface', interfaceNumber);
      if (iface.claimed) return;
      await ask('usb.claimInterface', { deviceId: this.#id, interfaceNumber, interfaceClass: iface.alternate.interfaceClass });
      iface.claimed = true;
    }
    async releaseInterface(interfaceNumber: number): Promise<void> {
      const iface = this.#interface('releaseInterface', interfaceNumber);
      await ask('usb.releaseInterface', { deviceId: this.#id, interfaceNumber });
      iface.claimed = false;
    }
    async selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
      const iface = this.#interface('selectAlternateInterface', interfaceNumber);
      const alternate = iface.alternates.find((candidate: any) => candidate.alternateSetting === alternateSetting);
      if (!alternate) fail('selectAlternateInterface', 'The alternate setting provided is not supported by the device in its current configuration.', 'NotFoundError');
      await ask('usb.selectAlternateInterface', { deviceId: this.#id, interfaceNumber, alternateSetting });
      iface.alternate = alternate;
    }
    async controlTransferIn(setup: object, length: number): Promise<unknown> {
      this.#open('controlTransferIn');
      return inResult(await ask('usb.controlTransferIn', { deviceId: this.#id, setup, length }));
    }
    async controlTransferOut(setup: object, data?: BufferSource): Promise<unknown> {
      this.#open('controlTransferOut');
      return ask('usb.controlTransferOut', { deviceId: this.#id, setup, data: data === undefined ? '' : toBase64(bytesOf(data)) });
    }
    async transferIn(endpointNumber: number, length: number): Promise<unknown> {
      this.#endpoint('transferIn', 'in', endpointNumber);
      return inResult(await ask('usb.transferIn', { deviceId: this.#id, endpointNumber, length }));
    }
    async transferOut(endpointNumber: number, data: BufferSource): Promise<unknown> {
      this.#endpoint('transferOut', 'out', endpointNumber);
      return ask('usb.transferOut', { deviceId: this.#id, endpointNumber, data: toBase64(bytesOf(data)) });
    }
    async isochronousTransferIn(endpointNumber: number, packetLengths: number[]): Promise<unknown> {
      this.#endpoint('isochronousTransferIn', 'in', endpointNumber);
      const answers: Array<{ status: string; data: string }> = await ask('usb.isochronousTransferIn', { deviceId: this.#id, endpointNumber, packetLengths });
      // One buffer of all the packets' lengths; each packet's data is its part, as long as what came.
      const buffer = new Uint8Array(packetLengths.reduce((sum, length) => sum + length, 0));
      let offset = 0;
      const packets = answers.map((answer, index) => {
        const bytes = fromBase64(answer.data);
        buffer.set(bytes, offset);
        const packet = { status: answer.status, data: new DataView(buffer.buffer, offset, bytes.length) };
        offset += packetLengths[index]!;
        return packet;
      });
      return { data: new DataView(buffer.buffer), packets };
    }
    async isochronousTransferOut(endpointNumber: number, data: BufferSource, packetLengths: number[]): Promise<unknown> {
      this.#endpoint('isochronousTransferOut', 'out', endpointNumber);
      return ask('usb.isochronousTransferOut', { deviceId: this.#id, endpointNumber, packetLengths, data: toBase64(bytesOf(data)) });
    }
    async reset(): Promise<void> {
      this.#open('reset');
      await ask('usb.reset', { deviceId: this.#id });
    }
  }

  const devices = new Map<string, USBDevice>();
  const deviceOf = (info: any): USBDevice => devices.get(info.deviceId) ?? devices.set(info.deviceId, new USBDevice(info)).get(info.deviceId)!;

  class USB extends EventTarget {
    onconnect: ((event: Event) => void) | null = null;
    ondisconnect: ((event: Event) => void) | null = null;
    async getDevices(): Promise<USBDevice[]> {
      return (await ask('usb.list')).map(deviceOf);
    }
    async requestDevice(options: { filters?: unknown[]; exclusionFilters?: unknown[] }): Promise<USBDevice> {
      if (!options || !Array.isArray(options.filters)) throw new TypeError("Failed to execute 'requestDevice' on 'USB': Failed to read the 'filters' property from 'USBDeviceRequestOptions': Required member is undefined.");
      gesture('USB', 'requestDevice');
      const info = await ask('usb.request', { filters: options.filters, exclusionFilters: options.exclusionFilters ?? [] });
      if (!info) throw new DOMException("Failed to execute 'requestDevice' on 'USB': No device selected.", 'NotFoundError');
      return deviceOf(info);
    }
  }

  if (!kit.inWindow && !('usb' in kit.navigatorPrototype)) return;
  if (!kit.inWindow) delete (USB.prototype as any).requestDevice;
  const usb = new USB();
  Object.defineProperty(kit.navigatorPrototype, 'usb', { get: () => usb, configurable: true, enumerable: true });
  for (const [name, value] of [['USB', USB], ['USBDevice', USBDevice]] as const) Object.defineProperty(scope, name, { value, configurable: true, writable: true });
  kit.handlers.usb = (message: any) => {
    if (message.type === 'connect') return fire(usb, 'connect', { device: deviceOf(message.device) });
    const device = devices.get(message.id);
    if (!device) return;
    device.opened = false;
    fire(usb, 'disconnect', { device });
  };
}

/** An error the page gets as a DOMException of that name. */
export class DeviceError extends Error {
  constructor(
    readonly domName: string,
    message: string,
  ) {
    super(message);
  }
}

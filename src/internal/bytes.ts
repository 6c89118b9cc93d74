/** What a test may give a virtual device as bytes. */
export type Bytes = ArrayBufferView | ArrayBuffer | number[] | string;

/** The bytes of `data` (a string as UTF-8). */
export function bytes(data: Bytes): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (Array.isArray(data)) return Uint8Array.from(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** Bytes as base64, the way they cross to and from the page shims. */
export const b64 = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Electron's NativeImage, for what `webContents.capturePage()` gives: an
 * image held as the PNG Chrome made. `toPNG`, `toJPEG`, `toBitmap`,
 * `toDataURL`, `getSize`, `isEmpty`, `getAspectRatio`. Scale factors other
 * than 1, `crop`, `resize` and the template-image members are not here.
 */
export class NativeImage {
  readonly #png: Buffer;
  #pixels: PNG | undefined;

  /** From PNG bytes (an empty buffer is the empty image). */
  constructor(png: Buffer) {
    this.#png = png;
  }

  isEmpty(): boolean {
    return this.#png.length === 0;
  }

  /** Width and height, from the PNG's header. */
  getSize(): { width: number; height: number } {
    if (this.#png.length < 24) return { width: 0, height: 0 };
    return { width: this.#png.readUInt32BE(16), height: this.#png.readUInt32BE(20) };
  }

  getAspectRatio(): number {
    const { width, height } = this.getSize();
    return height === 0 ? 1 : width / height;
  }

  toPNG(): Buffer {
    return Buffer.from(this.#png);
  }

  /** JPEG of `quality` (0-100). */
  toJPEG(quality: number): Buffer {
    if (typeof quality !== 'number') throw new TypeError('Insufficient number of arguments.');
    if (this.isEmpty()) return Buffer.alloc(0);
    const { width, height, data } = this.#decoded();
    return Buffer.from(jpeg.encode({ width, height, data }, Math.max(0, Math.min(100, quality))).data);
  }

  /** The raw pixels, BGRA as Electron's on little-endian machines. */
  toBitmap(): Buffer {
    if (this.isEmpty()) return Buffer.alloc(0);
    const rgba = this.#decoded().data;
    const bgra = Buffer.alloc(rgba.length);
    for (let i = 0; i < rgba.length; i += 4) {
      bgra[i] = rgba[i + 2]!;
      bgra[i + 1] = rgba[i + 1]!;
      bgra[i + 2] = rgba[i]!;
      bgra[i + 3] = rgba[i + 3]!;
    }
    return bgra;
  }

  getBitmap(): Buffer {
    return this.toBitmap();
  }

  toDataURL(): string {
    return `data:image/png;base64,${this.#png.toString('base64')}`;
  }

  #decoded(): PNG {
    this.#pixels ??= PNG.sync.read(this.#png);
    return this.#pixels;
  }
}

/** Electron's `nativeImage` module, for the images this library makes and reads (PNG). */
export const nativeImage = {
  createEmpty(): NativeImage {
    return new NativeImage(Buffer.alloc(0));
  },
  /** From PNG bytes (other formats are not read here: the image is empty). */
  createFromBuffer(buffer: Buffer): NativeImage {
    if (!Buffer.isBuffer(buffer)) throw new TypeError('buffer must be a node Buffer');
    return new NativeImage(isPng(buffer) ? buffer : Buffer.alloc(0));
  },
  /** From a `data:image/png;base64,` URL. */
  createFromDataURL(dataURL: string): NativeImage {
    if (typeof dataURL !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure');
    const match = /^data:image\/png;base64,(.*)$/s.exec(dataURL);
    return nativeImage.createFromBuffer(match ? Buffer.from(match[1]!, 'base64') : Buffer.alloc(0));
  },
};

function isPng(buffer: Buffer): boolean {
  return buffer.length >= 24 && buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

// Small helpers on RGB typed arrays: views over sharp's buffers and bit-depth conversion.
import type { BitDepth, RgbPixels } from './types';

/** A Uint16Array over a buffer of 16-bit samples (copied when the buffer is not 2-byte aligned). */
export function uint16View(bytes: Buffer): Uint16Array {
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  return new Uint16Array(Uint8Array.from(bytes).buffer);
}

/** The same pixels at another bit depth: 8 -> 16 multiplies by 257 (exact), 16 -> 8 rounds. */
export function convertDepth(pixels: RgbPixels, depth: BitDepth): RgbPixels {
  if (pixels.depth === depth) return pixels;
  const source = pixels.data;
  const data = depth === 16 ? new Uint16Array(source.length) : new Uint8Array(source.length);
  const scale = depth === 16 ? 257 : 1 / 257;
  for (let i = 0; i < source.length; i++) data[i] = Math.round(source[i]! * scale);
  return { ...pixels, depth, data };
}

/** Throws unless `data` holds exactly width * height * 3 samples of the stated depth. */
export function assertRgb(pixels: RgbPixels): void {
  const expected = pixels.width * pixels.height * 3;
  const typeOk = pixels.depth === 16 ? pixels.data instanceof Uint16Array : pixels.data instanceof Uint8Array;
  if (!typeOk || pixels.data.length !== expected) {
    throw new RangeError(
      `expected ${expected} ${pixels.depth}-bit RGB samples for ${pixels.width}x${pixels.height}, ` +
        `got ${pixels.data.length} in a ${pixels.data.constructor.name}`,
    );
  }
}

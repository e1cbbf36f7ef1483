// Small helpers on RGB typed arrays: views over sharp's buffers, bit-depth conversion and crops.
import type { BitDepth, RgbPixels } from './types';

/** A Uint16Array over a buffer of 16-bit samples (copied when the buffer is not 2-byte aligned). */
export function uint16View(bytes: Buffer): Uint16Array {
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  return new Uint16Array(Uint8Array.from(bytes).buffer);
}

/** The same pixels at another bit depth: 8 -> 16 multiplies by 257 (exact), 16 -> 8 rounds. */
export function convertDepth(pixels: RgbPixels, depth: BitDepth): RgbPixels {
  if (pixels.depth === depth) return pixels;
  return { ...pixels, depth, data: convertSamples(pixels.data, depth) };
}

/** Samples (any number of channels) at `depth`, converted as convertDepth does. */
export function convertSamples(source: Uint8Array | Uint16Array, depth: BitDepth): Uint8Array | Uint16Array {
  if ((source instanceof Uint16Array ? 16 : 8) === depth) return source;
  const data = depth === 16 ? new Uint16Array(source.length) : new Uint8Array(source.length);
  const scale = depth === 16 ? 257 : 1 / 257;
  for (let i = 0; i < source.length; i++) data[i] = Math.round(source[i]! * scale);
  return data;
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

/** The samples of a rectangle of an interleaved image (`channels` samples per pixel), as a new array. */
export function cropSamples<T extends Uint8Array | Uint16Array>(
  data: T,
  width: number,
  channels: number,
  rect: { x: number; y: number; width: number; height: number },
): T {
  const height = data.length / (width * channels);
  if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > width || rect.y + rect.height > height) {
    throw new RangeError(
      `crop ${rect.width}x${rect.height} at ${rect.x},${rect.y} is outside ${width}x${height}`,
    );
  }
  const row = rect.width * channels;
  const out = new (data.constructor as new (length: number) => T)(row * rect.height);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * width + rect.x) * channels;
    out.set(data.subarray(from, from + row), y * row);
  }
  return out;
}

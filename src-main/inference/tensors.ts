// Pixel <-> tensor conversions: interleaved 8/16-bit RGB and planar float32 NCHW in [0,1], with reflect padding.

/** Interleaved RGB pixels, as imaging decodes them (Uint8Array 8-bit, Uint16Array 16-bit). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
}

export function maxValue(data: Uint8Array | Uint16Array): number {
  return data instanceof Uint16Array ? 65535 : 255;
}

/** Rounds `value` up to a multiple of `multiple`. */
export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/**
 * Reflect index (numpy "reflect", the edge is not repeated) for any i, even far outside [0, n): padding wider
 * than the image mirrors back and forth.
 */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}

/** Whole image to planar float32 [3,H,W] in [0,1]. */
export function toPlanar(image: RgbImage): Float32Array {
  return cropToPlanar(image, 0, 0, image.width, image.height);
}

/**
 * The [3,h,w] planar float32 crop whose top-left is (x0, y0) in image coordinates; pixels outside the image
 * are reflected, so a crop reaching past the bottom-right edge is the reflect-padded image.
 */
export function cropToPlanar(image: RgbImage, x0: number, y0: number, w: number, h: number): Float32Array {
  const { width, height, data } = image;
  const scale = 1 / maxValue(data);
  const out = new Float32Array(3 * w * h);
  const plane = w * h;
  const columns = new Int32Array(w);
  for (let x = 0; x < w; x++) columns[x] = reflectIndex(x0 + x, width) * 3;
  for (let y = 0; y < h; y++) {
    const row = reflectIndex(y0 + y, height) * width * 3;
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const s = row + columns[x]!;
      out[o + x] = data[s]! * scale;
      out[plane + o + x] = data[s + 1]! * scale;
      out[2 * plane + o + x] = data[s + 2]! * scale;
    }
  }
  return out;
}

/** A single-channel [h,w] crop of a row-major `width` x `height` map: reflected outside, or `outside` there
 * when given. */
export function cropMap(
  map: Float32Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  outside?: number,
): Float32Array {
  const out = new Float32Array(w * h);
  if (outside !== undefined) out.fill(outside);
  // Source index per column and row, -1 where `outside` fills instead of a reflection.
  const source = (i: number, n: number) =>
    outside !== undefined && (i < 0 || i >= n) ? -1 : reflectIndex(i, n);
  const columns = Int32Array.from({ length: w }, (_, x) => source(x0 + x, width));
  for (let y = 0; y < h; y++) {
    const sourceRow = source(y0 + y, height);
    if (sourceRow < 0) continue;
    const row = sourceRow * width;
    for (let x = 0; x < w; x++) if (columns[x]! >= 0) out[y * w + x] = map[row + columns[x]!]!;
  }
  return out;
}

/** Planar float32 [3,H,W] back to interleaved pixels of the given depth, clamped to [0,1] and rounded. */
export function fromPlanar(planar: Float32Array, width: number, height: number, depth: 8 | 16): RgbImage {
  const max = depth === 16 ? 65535 : 255;
  const data = depth === 16 ? new Uint16Array(width * height * 3) : new Uint8Array(width * height * 3);
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = quantize(planar[c * plane + i]!, max);
  }
  return { width, height, data };
}

/** [0,1] float to an integer sample, clamped; NaN becomes 0. */
export function quantize(value: number, max: number): number {
  if (!(value > 0)) return 0;
  if (value >= 1) return max;
  return Math.round(value * max);
}

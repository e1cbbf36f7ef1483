// User masks: 8-bit grayscale PNGs at the photo's upright size, and the model's guide derived from them.
// Rule (docs/model-contract.md): >= 192 force deblur (+1), <= 63 protect (-1), anything between auto (0).
import sharp from 'sharp';
import { writeFileAtomic } from './atomic-write';
import { ImageError } from './errors';
import { readFailure } from './readable';

export const FORCE_MIN = 192;
export const PROTECT_MAX = 63;

/** 8-bit single-channel mask pixels, row-major. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The sidecar mask of a photo: `<photo file name>.mask.png` next to it. */
export function sidecarPath(photoPath: string): string {
  return `${photoPath}.mask.png`;
}

/** Loads a mask PNG and checks it has the photo's upright size. Colour masks are read as their luminance;
 * transparent pixels (not painted, in a layer saved from an editor) are auto. */
export async function loadMask(path: string, expected: { width: number; height: number }): Promise<Mask> {
  try {
    const meta = await sharp(path).metadata();
    if (meta.format !== 'png') {
      throw new ImageError('unsupported', path, `${path}: a mask must be a PNG file, not ${meta.format}`);
    }
    if (meta.width !== expected.width || meta.height !== expected.height) {
      throw new ImageError(
        'wrong-size',
        path,
        `${path}: the mask is ${meta.width}x${meta.height} but the photo is ${expected.width}x${expected.height}`,
      );
    }
    const { data } = await sharp(path, { failOn: 'error' })
      .flatten({ background: '#808080' }) // 128: auto
      .toColourspace('b-w')
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: expected.width, height: expected.height, data: new Uint8Array(data) };
  } catch (error) {
    throw await readFailure(path, error);
  }
}

/** The model's guide: +1 force, -1 protect, 0 auto. */
export function maskToGuide(mask: Mask): Float32Array {
  const guide = new Float32Array(mask.data.length);
  for (let i = 0; i < mask.data.length; i++) {
    const value = mask.data[i]!;
    guide[i] = value >= FORCE_MIN ? 1 : value <= PROTECT_MAX ? -1 : 0;
  }
  return guide;
}

/** Back to mask pixels: force 255, protect 0, auto 128. */
export function guideToMask(guide: Float32Array, width: number, height: number): Mask {
  if (guide.length !== width * height) {
    throw new RangeError(`guide has ${guide.length} values, expected ${width}x${height}`);
  }
  const data = new Uint8Array(guide.length);
  for (let i = 0; i < guide.length; i++) {
    const value = guide[i]!;
    data[i] = value > 0.5 ? 255 : value < -0.5 ? 0 : 128;
  }
  return { width, height, data };
}

export async function encodeMaskPng(mask: Mask): Promise<Buffer> {
  const { width, height } = mask;
  return sharp(mask.data, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** Writes the mask atomically (the photo itself is protected from being overwritten). */
export async function saveMask(path: string, mask: Mask, protect: readonly string[] = []): Promise<void> {
  await writeFileAtomic(path, await encodeMaskPng(mask), { protect });
}

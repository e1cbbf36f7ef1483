// A small upright 8-bit sRGB copy of a photo (for quick scans): decoded straight at the reduced size.
import sharp from 'sharp';
import { probePhoto } from './decode';
import { readFailure } from './readable';
import type { RgbPixels } from './types';

/** Decodes `path` fitted inside `maxSide` x `maxSide` (never enlarged). */
export async function decodePreview(path: string, maxSide: number): Promise<RgbPixels> {
  // The checks of a full decode first, so a photo is refused with the same reason (denied, over the pixel
  // limit, an unsupported format) whichever way it is read.
  await probePhoto(path);
  try {
    const { data, info } = await sharp(path, { failOn: 'error' })
      .autoOrient()
      .removeAlpha()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: 3,
      depth: 8,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    throw await readFailure(path, error);
  }
}

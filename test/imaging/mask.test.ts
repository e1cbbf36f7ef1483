import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  guideToMask,
  loadMask,
  maskToGuide,
  saveMask,
  sidecarPath,
  type Mask,
} from '../../src-main/imaging/mask';
import { makePhoto, tempFolder } from './helpers';

const mask = (values: number[]): Mask => ({ width: values.length, height: 1, data: Uint8Array.from(values) });

describe('masks', () => {
  it('applies the contract thresholds: >= 192 force, <= 63 protect, else auto', () => {
    const guide = maskToGuide(mask([0, 63, 64, 128, 191, 192, 255]));
    expect(Array.from(guide)).toEqual([-1, -1, 0, 0, 0, 1, 1]);
  });

  it('names the sidecar after the full photo file name', () => {
    expect(sidecarPath('/photos/IMG_0001.JPG')).toBe('/photos/IMG_0001.JPG.mask.png');
  });

  it('saves a guide as a PNG and loads it back to the same guide', async () => {
    const folder = await tempFolder();
    const guide = Float32Array.from([1, 0, -1, 0, 1, -1]);
    const path = join(folder, 'photo.jpg.mask.png');
    await saveMask(path, guideToMask(guide, 3, 2));
    const meta = await sharp(path).metadata();
    expect(meta).toMatchObject({ format: 'png', channels: 1, depth: 'uchar', width: 3, height: 2 });
    const loaded = await loadMask(path, { width: 3, height: 2 });
    expect(Array.from(loaded.data)).toEqual([255, 128, 0, 128, 255, 0]);
    expect(maskToGuide(loaded)).toEqual(guide);
  });

  it('reads a black-and-white RGB mask as its gray level', async () => {
    const path = join(await tempFolder(), 'bw.png');
    const rgb = Uint8Array.from([255, 255, 255, 0, 0, 0]);
    await sharp(rgb, { raw: { width: 2, height: 1, channels: 3 } })
      .png()
      .toFile(path);
    const loaded = await loadMask(path, { width: 2, height: 1 });
    expect(Array.from(maskToGuide(loaded))).toEqual([1, -1]);
  });

  it('reads transparent pixels of a mask with alpha as auto (unpainted), opaque ones by their gray', async () => {
    const path = join(await tempFolder(), 'layer.png');
    // White opaque, black opaque, white and black fully transparent (a layer painted in an editor).
    const rgba = Uint8Array.from([255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 0]);
    await sharp(rgba, { raw: { width: 4, height: 1, channels: 4 } })
      .png()
      .toFile(path);
    const loaded = await loadMask(path, { width: 4, height: 1 });
    expect(Array.from(maskToGuide(loaded))).toEqual([1, -1, 0, 0]);
  });

  it('rejects a mask of the wrong size or format with a clear error', async () => {
    const folder = await tempFolder();
    const path = join(folder, 'small.png');
    await saveMask(path, mask([0, 255, 128]));
    await expect(loadMask(path, { width: 4, height: 1 })).rejects.toMatchObject({
      code: 'wrong-size',
      message: `${path}: the mask is 3x1 but the photo is 4x1`,
    });
    const jpeg = await makePhoto(folder, 'mask.jpg');
    await expect(loadMask(jpeg, { width: 48, height: 32 })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(loadMask(join(folder, 'none.png'), { width: 1, height: 1 })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { mapToGray, saveMap } from '../../src-main/imaging/maps';
import { tempFolder } from './helpers';

describe('maps', () => {
  it('scales [0,1] to 0..255 and clamps the rest', () => {
    const data = Float32Array.from([0, 0.5, 1, -1, 2, Number.NaN]);
    expect(Array.from(mapToGray({ width: 3, height: 2, data }))).toEqual([0, 128, 255, 0, 255, 0]);
  });

  it('saves an 8-bit grayscale PNG of the map size', async () => {
    const path = join(await tempFolder(), 'confidence.png');
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 11);
    await saveMap(path, { width: 4, height: 3, data });
    const meta = await sharp(path).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 4, height: 3, channels: 1, depth: 'uchar' });
    const pixels = await sharp(path).extractChannel(0).raw().toBuffer();
    expect(pixels[0]).toBe(0);
    expect(pixels[11]).toBe(255);
  });

  it('rejects a map whose length does not match its size', () => {
    expect(() => mapToGray({ width: 2, height: 2, data: new Float32Array(3) })).toThrow(RangeError);
  });
});

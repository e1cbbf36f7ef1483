// encodePhoto on greyscale originals (written greyscale) and on multi-page ones (a warning that only the first
// page is written).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { encodePhoto } from '../../src-main/imaging/encode';
import type { PhotoFormat } from '../../src-main/imaging/types';
import { tempFolder } from './helpers';

const SIDE = 16;
const ramp = Uint8Array.from({ length: SIDE * SIDE }, (_, i) => i);

/** A greyscale original: 8 or 16-bit, with or without alpha. */
async function greyOriginal(path: string, depth: 8 | 16, alpha: boolean): Promise<string> {
  // sharp reads a Uint16Array as 16-bit samples.
  const samples = depth === 16 ? Uint16Array.from(ramp, (v) => v * 257) : ramp;
  let image = sharp(samples, { raw: { width: SIDE, height: SIDE, channels: 1 } });
  if (alpha)
    image = image.joinChannel(Buffer.from(ramp.map((v) => 255 - v)), {
      raw: { width: SIDE, height: SIDE, channels: 1 },
    });
  image = image.toColourspace(depth === 16 ? 'grey16' : 'b-w');
  // sharp's default TIFF compression (JPEG) is 8-bit only.
  if (path.endsWith('.tif')) image = image.tiff({ compression: 'deflate' });
  await image.toFile(path);
  return path;
}

describe('encodePhoto writes a greyscale original greyscale', () => {
  it.each<[string, PhotoFormat, 8 | 16, boolean, number]>([
    ['png', 'png', 8, false, 1],
    ['png', 'png', 16, false, 1],
    ['tif', 'tiff', 16, false, 1],
    ['png', 'png', 8, true, 2],
  ])(
    '.%s as %s, %s-bit, alpha %s: the processed tones exactly, %s channel(s)',
    async (ext, format, depth, alpha, channels) => {
      const original = await greyOriginal(join(await tempFolder(), `grey.${ext}`), depth, alpha);
      const photo = await decodePhoto(original);
      expect(photo).toMatchObject({ channels: 3, depth, hasAlpha: alpha });
      const max = depth === 16 ? 65535 : 255;
      const data = photo.data.map((v) => max - v) as typeof photo.data;
      const result = await encodePhoto({ ...photo, data }, { format, original });
      expect(result.warnings).toEqual([]);
      const meta = await sharp(result.data).metadata();
      expect(meta).toMatchObject({ channels, space: depth === 16 ? 'grey16' : 'b-w' });
      const written = join(await tempFolder(), `out.${ext}`);
      await writeFile(written, result.data);
      expect((await decodePhoto(written)).data).toEqual(data);
    },
  );

  it('JPEG: one channel, and the colour cast of a restoration is gone (its luminance is kept)', async () => {
    const original = await greyOriginal(join(await tempFolder(), 'grey.jpg'), 8, false);
    const photo = await decodePhoto(original);
    // A faint cast, as a network with RGB output can add: +2 red, -2 blue.
    const data = photo.data.map((v, i) =>
      Math.min(255, Math.max(0, v + (i % 3 === 0 ? 2 : i % 3 === 2 ? -2 : 0))),
    );
    const result = await encodePhoto({ ...photo, data }, { format: 'jpeg', original, quality: 100 });
    expect(await sharp(result.data).metadata()).toMatchObject({ channels: 1, space: 'b-w' });
    const grey = await sharp(result.data).toColourspace('b-w').raw().toBuffer();
    expect(grey.length).toBe(SIDE * SIDE);
    for (let i = 0; i < grey.length; i++)
      expect(Math.abs(grey[i]! - photo.data[i * 3]!)).toBeLessThanOrEqual(2);
  });

  it('an RGB original whose pixels happen to be grey stays RGB', async () => {
    const original = join(await tempFolder(), 'rgb.png');
    await sharp(ramp, { raw: { width: SIDE, height: SIDE, channels: 1 } })
      .toColourspace('srgb')
      .toFile(original);
    expect(await sharp(original).metadata()).toMatchObject({ channels: 3 });
    const photo = await decodePhoto(original);
    const result = await encodePhoto(photo, { format: 'png', original });
    expect(await sharp(result.data).metadata()).toMatchObject({ channels: 3, space: 'srgb' });
  });
});

describe('encodePhoto on a multi-page original', () => {
  it.each<[string, PhotoFormat]>([
    ['tif', 'tiff'],
    ['webp', 'webp'],
  ])(
    '%s: the first page is restored and written, with a warning naming the page count',
    async (ext, format) => {
      const folder = await tempFolder();
      const page = (value: number) =>
        sharp({
          create: { width: SIDE, height: SIDE, channels: 3, background: { r: value, g: value, b: value } },
        })
          .png()
          .toBuffer();
      const original = join(folder, `pages.${ext}`);
      await sharp([await page(40), await page(200), await page(120)], { join: { animated: true } }).toFile(
        original,
      );
      expect((await sharp(original).metadata()).pages).toBe(3);
      const photo = await decodePhoto(original);
      expect(photo).toMatchObject({ width: SIDE, height: SIDE });
      expect(Math.max(...photo.data)).toBeLessThanOrEqual(41); // the first page, not the others
      const result = await encodePhoto(photo, { format, original });
      expect(result.warnings).toEqual([
        'the original has 3 pages or frames: only the first was restored and written',
      ]);
      expect((await sharp(result.data).metadata()).pages ?? 1).toBe(1);
    },
  );
});

import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { displayImage } from '../../src-main/imaging/display';
import { makePhoto, tempFolder } from './helpers';

describe('displayImage', () => {
  it("passes a browser format's bytes through when Chromium draws them upright", async () => {
    const folder = await tempFolder();
    for (const [name, format] of [
      ['turned.jpg', 'jpeg'], // Chromium applies a JPEG's EXIF orientation itself
      ['plain.webp', 'webp'],
    ] as const) {
      const path = await makePhoto(folder, name, { orientation: name === 'turned.jpg' ? 6 : 1 });
      const shown = await displayImage(path, format);
      expect(shown.data.equals(await readFile(path))).toBe(true);
      expect(shown.mime).toBe(`image/${format}`);
    }
  });

  it('converts a WebP with an EXIF orientation to an upright PNG (Chromium would draw it sideways)', async () => {
    const path = await makePhoto(await tempFolder(), 'turned.webp', {
      width: 48,
      height: 32,
      orientation: 6,
    });
    const shown = await displayImage(path, 'webp');
    expect(shown.mime).toBe('image/png');
    const { data, info } = await sharp(shown.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([32, 48]);
    const upright = await decodePhoto(path);
    expect([upright.width, upright.height]).toEqual([32, 48]);
    expect(Buffer.from(data).equals(Buffer.from(upright.data))).toBe(true);
  });
});

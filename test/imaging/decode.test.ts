import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { cropSamples } from '../../src-main/imaging/pixels';
import {
  CAN_DENY_READS,
  asNobody,
  lockedPhoto,
  makePhoto,
  pattern16,
  rejection,
  tempFolder,
} from './helpers';

describe('decodePhoto', () => {
  it.each(['jpg', 'png', 'webp', 'avif', 'tif'])('decodes an 8-bit .%s to interleaved RGB', async (ext) => {
    const path = await makePhoto(await tempFolder(), `photo.${ext}`);
    const photo = await decodePhoto(path);
    expect(photo).toMatchObject({ width: 48, height: 32, channels: 3, depth: 8, sourcePath: path });
    expect(photo.format).toBe({ jpg: 'jpeg', tif: 'tiff' }[ext] ?? ext);
    expect(photo.data).toBeInstanceOf(Uint8Array);
    expect(photo.data.length).toBe(48 * 32 * 3);
  });

  it('applies the EXIF orientation (6: rotate 90 clockwise)', async () => {
    const path = await makePhoto(await tempFolder(), 'rotated.png', { orientation: 6 });
    const photo = await decodePhoto(path);
    expect(photo).toMatchObject({ width: 32, height: 48, orientation: 6 });
    const at = (x: number, y: number) => Array.from(photo.data.slice((y * 32 + x) * 3, (y * 32 + x) * 3 + 3));
    // The red block was at the stored top-left; upright it is at the top-right.
    expect(at(31, 0)).toEqual([255, 0, 0]);
    expect(at(0, 0)[0]).toBeLessThan(100);
  });

  it('decodes a region of the upright photo, the same pixels as a crop of the whole (8 and 16 bit)', async () => {
    for (const depth of [8, 16] as const) {
      const path = await makePhoto(await tempFolder(), 'rotated.png', { orientation: 6, depth });
      const whole = await decodePhoto(path);
      const region = { x: 5, y: 17, width: 20, height: 13 };
      const part = await decodePhoto(path, { region });
      expect(part).toMatchObject({ width: 20, height: 13, depth });
      expect(part.data).toEqual(cropSamples(whole.data, whole.width, 3, region));
    }
  });

  it('keeps the source colour space and returns its ICC profile', async () => {
    const path = await makePhoto(await tempFolder(), 'p3.png', { icc: 'p3' });
    const photo = await decodePhoto(path);
    const stored = await sharp(path).metadata();
    expect(photo.icc?.equals(stored.icc!)).toBe(true);
    // Converting to sRGB would change the samples; ours are the file's own.
    const asSrgb = await sharp(path).toColourspace('srgb').raw().toBuffer();
    expect(Buffer.from(photo.data).equals(asSrgb)).toBe(false);
  });

  it.each(['tif', 'png'])('decodes a 16-bit .%s exactly', async (ext) => {
    const path = await makePhoto(await tempFolder(), `deep.${ext}`, { depth: 16 });
    const photo = await decodePhoto(path);
    expect(photo.depth).toBe(16);
    expect(photo.data).toBeInstanceOf(Uint16Array);
    expect(photo.data).toEqual(pattern16(48, 32));
  });

  it('drops alpha and expands grayscale to RGB', async () => {
    const folder = await tempFolder();
    const rgba = join(folder, 'rgba.png');
    await sharp({
      create: { width: 5, height: 4, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } },
    })
      .png()
      .toFile(rgba);
    const gray = join(folder, 'gray.png');
    await sharp(Buffer.alloc(20, 77), { raw: { width: 5, height: 4, channels: 1 } })
      .png()
      .toFile(gray);
    const withAlpha = await decodePhoto(rgba);
    expect(withAlpha).toMatchObject({ hasAlpha: true, channels: 3 });
    expect(withAlpha.data.length).toBe(5 * 4 * 3);
    const grayPhoto = await decodePhoto(gray);
    expect(Array.from(grayPhoto.data.slice(0, 3))).toEqual([77, 77, 77]);
  });

  describe('refuses bad input with a typed error naming the file', () => {
    it('missing file and folder', async () => {
      const folder = await tempFolder();
      const missing = join(folder, 'nope.jpg');
      const error = await rejection(decodePhoto(missing));
      expect(error.code).toBe('not-found');
      expect(error.message).toContain(missing);
      await mkdir(join(folder, 'dir.jpg'));
      expect((await rejection(decodePhoto(join(folder, 'dir.jpg')))).code).toBe('unsupported');
    });

    it('a file we may not read: denied, not "not an image format"', async (context) => {
      if (!CAN_DENY_READS) return context.skip('cannot change the effective user here');
      const path = await lockedPhoto(await tempFolder(), 'locked.jpg');
      const error = await rejection(asNobody(() => decodePhoto(path)));
      expect(error.code).toBe('denied');
      expect(error.message).toBe(`${path}: permission denied: it cannot be read (EACCES)`);
    });

    it('an empty file', async () => {
      const path = join(await tempFolder(), 'empty.jpg');
      await writeFile(path, '');
      const error = await rejection(decodePhoto(path));
      expect(error.code).toBe('corrupt');
      expect(error.message).toBe(`${path}: empty file (0 bytes)`);
    });

    it('bytes that are no image', async () => {
      const path = join(await tempFolder(), 'text.jpg');
      await writeFile(path, 'this is not an image');
      const error = await rejection(decodePhoto(path));
      expect(error.code).toBe('unsupported');
      expect(error.message).toContain(path);
    });

    it('a format the app does not handle (GIF)', async () => {
      const path = await makePhoto(await tempFolder(), 'anim.gif');
      const error = await rejection(decodePhoto(path));
      expect(error.code).toBe('unsupported');
      expect(error.message).toMatch(/gif/);
    });

    it.each(['NEF', 'dng', 'cr2'])(
      'a camera raw file (.%s), though TIFF inside: not its embedded preview',
      async (ext) => {
        const path = join(await tempFolder(), `DSC_0001.${ext}`);
        await sharp({ create: { width: 160, height: 120, channels: 3, background: '#963' } })
          .tiff()
          .toFile(path);
        expect((await sharp(path).metadata()).format).toBe('tiff'); // sharp alone would read it
        const error = await rejection(decodePhoto(path));
        expect(error.code).toBe('unsupported');
        expect(error.message).toBe(
          `${path}: camera raw files are not supported: export the photo from your raw developer as TIFF (16-bit), PNG or JPEG first`,
        );
      },
    );

    it.each(['jpg', 'png'])('a truncated .%s', async (ext) => {
      const path = await makePhoto(await tempFolder(), `cut.${ext}`, { width: 96, height: 96 });
      const bytes = await readFile(path);
      await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const error = await rejection(decodePhoto(path));
      expect(error.code).toBe('corrupt');
      expect(error.message).toContain(path);
    });

    it('more pixels than the limit', async () => {
      const path = await makePhoto(await tempFolder(), 'big.png', { width: 100, height: 100 });
      const error = await rejection(decodePhoto(path, { pixelLimit: 9_999 }));
      expect(error.code).toBe('too-large');
      expect(error.message).toMatch(/100x100 .* over the .* limit/);
      await expect(decodePhoto(path, { pixelLimit: 10_000 })).resolves.toMatchObject({ width: 100 });
    });
  });
});

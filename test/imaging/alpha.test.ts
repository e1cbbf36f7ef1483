// encodePhoto puts the original's transparency back on the restored pixels where the format holds it.
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { encodePhoto } from '../../src-main/imaging/encode';
import { encodeError } from '../../src-main/imaging/errors';
import { cropSamples } from '../../src-main/imaging/pixels';
import { tempFolder } from './helpers';

describe('encodePhoto and transparency', () => {
  it("puts the original's transparency back where the format holds it (8 and 16-bit, rotated)", async () => {
    const folder = await tempFolder();
    const [w, h] = [40, 30];
    for (const depth of [8, 16] as const) {
      const max = depth === 16 ? 65535 : 255;
      const stored = depth === 16 ? new Uint16Array(w * h * 4) : new Uint8Array(w * h * 4);
      for (let i = 0; i < stored.length; i++) stored[i] = (i * 7919) % (max + 1);
      const original = join(folder, `alpha${depth}.png`);
      const image = sharp(stored, { raw: { width: w, height: h, channels: 4 } }).withMetadata({
        orientation: 6,
      });
      await (depth === 16 ? image.toColourspace('rgb16') : image).png().toFile(original);
      // The stored alpha turned upright (6: a quarter turn clockwise), as the pixels are.
      const alpha: number[] = [];
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) alpha[x * h + (h - 1 - y)] = stored[(y * w + x) * 4 + 3]!;
      const photo = await decodePhoto(original);
      const pixels = photo.data.map((v) => max - v); // stands in for "processed"
      for (const format of ['png', 'tiff', 'webp'] as const) {
        const result = await encodePhoto({ ...photo, data: pixels }, { format, original, lossless: true });
        expect(result.warnings.filter((text) => /transparen/.test(text))).toEqual([]);
        const back = await sharp(result.data)
          .keepIccProfile()
          .toColourspace(result.depth === 16 ? 'rgb16' : 'srgb')
          .raw({ depth: result.depth === 16 ? 'ushort' : 'uchar' })
          .toBuffer({ resolveWithObject: true });
        expect(back.info).toMatchObject({ width: h, height: w, channels: 4 });
        const samples =
          result.depth === 16
            ? new Uint16Array(back.data.buffer, back.data.byteOffset, back.data.length / 2)
            : back.data;
        const scale = result.depth === depth ? 1 : 1 / 257; // WebP is 8-bit
        let wrong = 0;
        for (let i = 0; i < w * h; i++) {
          const a = Math.round(alpha[i]! * scale);
          if (samples[i * 4 + 3] !== a) wrong++;
          // Lossless WebP may change the colour of fully transparent pixels.
          for (let c = 0; c < 3 && (a > 0 || format !== 'webp'); c++) {
            if (samples[i * 4 + c] !== Math.round(pixels[i * 3 + c]! * scale)) wrong++;
          }
        }
        expect(wrong).toBe(0);
      }
      // A region with the profile only (the loupe): its part of the alpha, and still no EXIF.
      const region = { x: 3, y: 5, width: 10, height: 12 };
      const part = { ...photo, ...region, data: cropSamples(pixels, h, 3, region) };
      const loupe = await encodePhoto(part, { format: 'png', original, region, metadata: 'profile' });
      const { data, info } = await sharp(loupe.data)
        .toColourspace(depth === 16 ? 'rgb16' : 'srgb')
        .raw({ depth: depth === 16 ? 'ushort' : 'uchar' })
        .toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 10, height: 12, channels: 4 });
      const loupeSamples =
        depth === 16 ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : data;
      const loupeAlpha = Array.from({ length: 10 * 12 }, (_, i) => loupeSamples[i * 4 + 3]);
      const wantedAlpha = Array.from(
        { length: 10 * 12 },
        (_, i) => alpha[(5 + Math.floor(i / 10)) * h + 3 + (i % 10)],
      );
      expect(loupeAlpha).toEqual(wantedAlpha);
      expect((await sharp(loupe.data).metadata()).exif).toBeUndefined();
      const jpeg = await encodePhoto(photo, { format: 'jpeg', original });
      expect(jpeg.warnings).toEqual(['JPEG cannot hold transparency: written opaque']);
      expect((await sharp(jpeg.data).metadata()).channels).toBe(3);
    }
  });

  it.runIf(process.platform === 'linux')('leaves no deleted temporary file open after encoding', async () => {
    const original = join(await tempFolder(), 'rgba.png');
    await sharp(new Uint8Array(64 * 48 * 4).fill(200), { raw: { width: 64, height: 48, channels: 4 } })
      .png()
      .toFile(original);
    const photo = await decodePhoto(original);
    for (let i = 0; i < 4; i++) await encodePhoto(photo, { format: 'png', original });
    const open = await Promise.all(
      (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
    );
    expect(open.filter((target) => target.includes('deblur-alpha-'))).toEqual([]);
  });

  it('reports a full disk (the temporary folder too) as disk-full, naming the output', () => {
    const error = encodeError(
      '/out/a.png',
      'png',
      new Error('vips__file_write: write failed: No space left on device'),
    );
    expect(error).toMatchObject({ code: 'disk-full', path: '/out/a.png' });
    expect(error.message).toMatch(/^\/out\/a\.png: no space left/);
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { encodePhoto } from '../../src-main/imaging/encode';
import { ImageError, encodeError } from '../../src-main/imaging/errors';
import { assertFitsFormat } from '../../src-main/imaging/formats';
import type { PhotoFormat } from '../../src-main/imaging/types';
import { grayIccProfile, makePhoto, pattern8, tempFolder } from './helpers';

/** Inverts the pixels, standing in for "processed". */
function processed<T extends Uint8Array | Uint16Array>(data: T, max: number): T {
  return data.map((v) => max - v) as T;
}

describe('encodePhoto carries metadata over from the original', () => {
  it.each<[string, PhotoFormat]>([
    ['jpg', 'jpeg'],
    ['png', 'png'],
    ['webp', 'webp'],
    ['avif', 'avif'],
  ])('%s: EXIF (with GPS), XMP, ICC survive; orientation becomes 1', async (ext, format) => {
    const original = await makePhoto(await tempFolder(), `orig.${ext}`, {
      orientation: 6,
      icc: 'p3',
      exif: true,
      xmp: true,
    });
    const source = await sharp(original).metadata();
    const photo = await decodePhoto(original);
    const result = await encodePhoto({ ...photo, data: processed(photo.data, 255) }, { format, original });
    expect(result.warnings).toEqual([]);

    const out = await sharp(result.data).metadata();
    expect(out.format).toBe(format === 'avif' ? 'heif' : format);
    expect(out.autoOrient).toEqual({ width: 32, height: 48 });
    expect(out.orientation ?? 1).toBe(1);
    expect(out.icc?.equals(source.icc!)).toBe(true);
    expect(out.xmp?.equals(source.xmp!)).toBe(true);
    const exif = exifReader(out.exif!);
    expect(exif.Image).toMatchObject({ Make: 'DeblurCam', Model: 'Model X1', Copyright: 'Test Author' });
    expect(exif.Photo?.ISOSpeedRatings).toBe(400);
    expect(exif.GPSInfo).toMatchObject({
      GPSLatitudeRef: 'N',
      GPSLatitude: [48, 51, 24],
      GPSLongitudeRef: 'E',
    });
    expect(exif.GPSInfo?.GPSLongitude).toEqual([2, 21, 0]);
  });

  it('PNG output round-trips the processed pixels exactly, in the source colour space', async () => {
    const original = await makePhoto(await tempFolder(), 'orig.jpg', { icc: 'p3', orientation: 8 });
    const photo = await decodePhoto(original);
    const pixels = processed(photo.data, 255);
    const result = await encodePhoto({ ...photo, data: pixels }, { format: 'png', original });
    const back = await sharp(result.data).keepIccProfile().raw().toBuffer();
    expect(Buffer.from(pixels).equals(back)).toBe(true);
  });

  it.each<[string, PhotoFormat]>([
    ['tif', 'tiff'],
    ['png', 'png'],
  ])('16-bit %s stays 16-bit and exact end to end', async (ext, format) => {
    const folder = await tempFolder();
    const original = await makePhoto(folder, `deep.${ext}`, { depth: 16, icc: 'p3', orientation: 3 });
    const photo = await decodePhoto(original);
    expect(photo.depth).toBe(16);
    const pixels = processed(photo.data, 65535);
    const result = await encodePhoto({ ...photo, data: pixels }, { format, original });
    expect(result.depth).toBe(16);
    const out = await sharp(result.data).metadata();
    expect(out.depth).toBe('ushort');
    expect(out.icc?.equals(photo.icc!)).toBe(true);
    const written = join(folder, `out.${ext}`);
    await writeFile(written, result.data);
    const again = await decodePhoto(written);
    expect(again.data).toEqual(pixels);
  });

  it('greyscale with a grey ICC profile comes out in sRGB, its tones as the profile says (8 and 16-bit)', async () => {
    const folder = await tempFolder();
    const icc = join(folder, 'gray.icc');
    await writeFile(icc, grayIccProfile());
    const gray8 = join(folder, 'gray8.png');
    await sharp(
      Uint8Array.from({ length: 256 }, (_, i) => i),
      { raw: { width: 16, height: 16, channels: 1 } },
    )
      .toColourspace('b-w')
      .withIccProfile(icc, { attach: true })
      .png()
      .toFile(gray8);
    // The same samples times 257 with the same profile.
    const gray16 = join(folder, 'gray16.png');
    await sharp(gray8).keepIccProfile().toColourspace('grey16').png().toFile(gray16);
    // libvips' rendering of the file in sRGB through its profile (up to 8 levels off the stored samples).
    const expected = await sharp(gray8).toColourspace('srgb').raw().toBuffer();
    for (const [original, depth] of [
      [gray8, 8],
      [gray16, 16],
    ] as const) {
      const photo = await decodePhoto(original);
      const result = await encodePhoto(photo, { format: 'png', original });
      const shown = await sharp(result.data).toColourspace('srgb').raw().toBuffer();
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(shown[i]! - expected[i]!));
      expect(worst).toBeLessThanOrEqual(1);
      expect(photo).toMatchObject({ depth, channels: 3 });
      expect(photo.icc).toBeUndefined();
      expect(result.depth).toBe(depth);
      expect(result.warnings).toEqual([
        'the greyscale colour profile of the original cannot describe RGB pixels: written as sRGB',
      ]);
    }
  });

  it('XMP tiff:Orientation becomes 1 with the EXIF one (any prefix, attribute or element), the rest kept; alone, it stays', async () => {
    const folder = await tempFolder();
    const xmp = (description: string) =>
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/test" ${description}` +
      '</rdf:RDF></x:xmpmeta>';
    const tiff = 'xmlns:tiff="http://ns.adobe.com/tiff/1.0/"';
    const cases = [
      [`${tiff} tiff:Orientation="6"/>`, `${tiff} tiff:Orientation="1"/>`],
      [
        `${tiff}><tiff:Orientation>6</tiff:Orientation></rdf:Description>`,
        `${tiff}><tiff:Orientation>1</tiff:Orientation></rdf:Description>`,
      ],
      [
        `xmlns:t="http://ns.adobe.com/tiff/1.0/" t:Orientation='6' t:Make="6"/>`,
        `xmlns:t="http://ns.adobe.com/tiff/1.0/" t:Orientation='1' t:Make="6"/>`,
      ],
    ];
    for (const [before, after] of cases) {
      const original = join(folder, 'xmp.jpg');
      await sharp(pattern8(48, 32), { raw: { width: 48, height: 32, channels: 3 } })
        .withMetadata({ orientation: 6 })
        .withXmp(xmp(before!))
        .jpeg()
        .toFile(original);
      const photo = await decodePhoto(original);
      for (const format of ['jpeg', 'png', 'tiff'] as const) {
        const result = await encodePhoto(photo, { format, original });
        const out = await sharp(result.data).metadata();
        expect(out.orientation ?? 1).toBe(1);
        expect(out.xmp?.toString()).toBe(xmp(after!));
      }
    }
    // No EXIF orientation: the pixels stay as stored, so an XMP orientation still describes them.
    const xmpOnly = join(folder, 'xmp-only.png');
    await sharp(pattern8(48, 32), { raw: { width: 48, height: 32, channels: 3 } })
      .withXmp(xmp(cases[0]![0]!))
      .png()
      .toFile(xmpOnly);
    const photo = await decodePhoto(xmpOnly);
    expect([photo.width, photo.height]).toEqual([48, 32]);
    const out = await sharp((await encodePhoto(photo, { format: 'png', original: xmpOnly })).data).metadata();
    expect(out.xmp?.toString()).toBe(xmp(cases[0]![0]!));
  });

  it('TIFF cannot hold EXIF: says so, keeps ICC and XMP', async () => {
    const original = await makePhoto(await tempFolder(), 'orig.jpg', { icc: 'p3', exif: true, xmp: true });
    const photo = await decodePhoto(original);
    const result = await encodePhoto(photo, { format: 'tiff', original });
    expect(result.warnings).toEqual(['TIFF cannot hold EXIF: EXIF not carried over']);
    const out = await sharp(result.data).metadata();
    expect(out.icc?.equals(photo.icc!)).toBe(true);
    expect(out.xmp).toBeDefined();
  });

  it('16-bit requested for JPEG gives 8-bit and a warning', async () => {
    const original = await makePhoto(await tempFolder(), 'deep.png', { depth: 16 });
    const photo = await decodePhoto(original);
    const result = await encodePhoto(photo, { format: 'jpeg', depth: 16, original });
    expect(result.depth).toBe(8);
    expect(result.warnings).toEqual(['JPEG cannot hold 16-bit pixels: written as 8-bit']);
    expect((await sharp(result.data).metadata()).depth).toBe('uchar');
  });

  it('16-bit pixels to an 8-bit format without asking for 16-bit: 8-bit, no warning', async () => {
    const original = await makePhoto(await tempFolder(), 'deep.png', { depth: 16 });
    const photo = await decodePhoto(original);
    for (const format of ['jpeg', 'webp', 'avif'] as const) {
      const result = await encodePhoto(photo, { format, original });
      expect(result).toMatchObject({ depth: 8, warnings: [] });
      expect((await sharp(result.data).metadata()).depth).toBe('uchar');
    }
  });

  it("metadata 'profile' keeps the ICC profile only: no EXIF (so no GPS), no XMP", async () => {
    const original = await makePhoto(await tempFolder(), 'orig.jpg', { icc: 'p3', exif: true, xmp: true });
    const photo = await decodePhoto(original);
    for (const format of ['jpeg', 'png', 'webp', 'tiff'] as const) {
      const result = await encodePhoto(photo, { format, original, metadata: 'profile' });
      expect(result.warnings).toEqual([]);
      const out = await sharp(result.data).metadata();
      expect(out.icc?.equals(photo.icc!)).toBe(true);
      expect(out.exif).toBeUndefined();
      expect(out.xmp).toBeUndefined();
    }
  });

  it('a region of the upright original: its pixels over that part, with the profile', async () => {
    const original = await makePhoto(await tempFolder(), 'orig.png', { icc: 'p3', orientation: 6 });
    const region = { x: 5, y: 10, width: 20, height: 30 };
    const pixels = { width: 20, height: 30, channels: 3 as const, depth: 8 as const, data: pattern8(20, 30) };
    const result = await encodePhoto(pixels, { format: 'png', original, region, metadata: 'profile' });
    const back = await sharp(result.data).keepIccProfile().raw().toBuffer({ resolveWithObject: true });
    expect(back.info).toMatchObject({ width: 20, height: 30 });
    expect(Buffer.from(pixels.data).equals(back.data)).toBe(true);
    expect((await sharp(result.data).metadata()).icc).toBeDefined();
    const outside = { ...region, x: 20 }; // the upright photo is 32 wide
    await expect(encodePhoto(pixels, { format: 'png', original, region: outside })).rejects.toThrow(
      /outside the photo/,
    );
    await expect(
      encodePhoto(pixels, { format: 'png', original, region: { ...region, width: 21 } }),
    ).rejects.toThrow(/the region is 21x30/);
  });

  it('refuses a size the format cannot hold up front, with an ImageError naming the output', async () => {
    const pixels = (width: number) => ({
      width,
      height: 2,
      channels: 3 as const,
      depth: 8 as const,
      data: new Uint8Array(width * 2 * 3),
    });
    for (const [format, max] of [
      ['jpeg', 65500],
      ['webp', 16383],
      ['avif', 16384],
    ] as const) {
      const error = await encodePhoto(pixels(max + 1), { format, path: '/out/wide' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImageError);
      expect(error).toMatchObject({ code: 'too-large', path: '/out/wide' });
      expect((error as Error).message).toContain(
        `${max + 1}x2 is too large for ${format.toUpperCase()} (at most ${max} pixels a side)`,
      );
      await expect(encodePhoto(pixels(max), { format })).resolves.toMatchObject({ format });
      expect(() => assertFitsFormat(format, 2, max + 1, 'tall')).toThrow(ImageError);
    }
    expect(() => assertFitsFormat('png', 100_000, 2, 'wide.png')).not.toThrow();
    // What sharp itself throws while encoding becomes an ImageError naming the output too.
    const fromSharp = await sharp({ create: { width: 16384, height: 2, channels: 3, background: '#000' } })
      .webp()
      .toBuffer()
      .catch((e: unknown) => e);
    expect(encodeError('/out/x.webp', 'webp', fromSharp)).toMatchObject({
      code: 'too-large',
      path: '/out/x.webp',
    });
  });

  it('refuses pixels whose size does not match the upright original', async () => {
    const original = await makePhoto(await tempFolder(), 'orig.jpg', { orientation: 6 });
    const pixels = { width: 48, height: 32, channels: 3 as const, depth: 8 as const, data: pattern8(48, 32) };
    const error = await encodePhoto(pixels, { format: 'png', original }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({ code: 'wrong-size' });
  });

  it('encodes bare pixels without an original', async () => {
    const pixels = { width: 4, height: 3, channels: 3 as const, depth: 8 as const, data: pattern8(4, 3) };
    const result = await encodePhoto(pixels, { format: 'png' });
    expect(Buffer.from(pixels.data).equals(await sharp(result.data).raw().toBuffer())).toBe(true);
    await expect(encodePhoto(pixels, { format: 'jpeg', quality: 0 })).rejects.toThrow(RangeError);
    await expect(encodePhoto({ ...pixels, width: 5 }, { format: 'png' })).rejects.toThrow(RangeError);
  });
});

import { crc32 } from 'node:zlib';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { encodePhoto } from '../../src-main/imaging/encode';
import type { PhotoFormat } from '../../src-main/imaging/types';
import { withoutThumbnail } from '../../src-main/imaging/exif-thumbnail';
import {
  addExif,
  exifWithThumbnail,
  ifd1LinkAt,
  ifd1Offset,
  relinked,
  tiffOf,
  type ByteOrder,
} from './exif-fixture';
import { makePhoto, tempFolder } from './helpers';

/** A small blue JPEG: the "old" thumbnail, nothing like the photo's pixels. */
function oldThumbnail(): Promise<Buffer> {
  const blue = { width: 8, height: 6, channels: 3, background: { r: 0, g: 0, b: 255 } } as const;
  return sharp({ create: blue }).jpeg({ quality: 50 }).toBuffer();
}

describe('encodePhoto drops the original EXIF thumbnail', () => {
  it.each<[ByteOrder, PhotoFormat]>([
    ['II', 'jpeg'],
    ['MM', 'jpeg'],
    ['II', 'png'],
    ['MM', 'png'],
    ['II', 'webp'],
    ['MM', 'webp'],
    ['II', 'avif'],
    ['MM', 'avif'],
  ])(
    '%s EXIF to %s: no IFD1 and no old thumbnail bytes; the rest of the EXIF kept',
    async (order, format) => {
      const thumbnail = await oldThumbnail();
      const original = await makePhoto(await tempFolder(), 'orig.jpg');
      await addExif(original, exifWithThumbnail({ order, thumbnail, orientation: 6 }));
      const source = await sharp(original).metadata();
      expect(exifReader(source.exif!).Thumbnail?.JPEGInterchangeFormatLength).toBe(thumbnail.length);

      const photo = await decodePhoto(original);
      const result = await encodePhoto(photo, { format, original });
      expect(result.warnings).toEqual([]);

      const out = await sharp(result.data).metadata();
      expect(out.autoOrient).toEqual({ width: 32, height: 48 });
      expect(out.orientation ?? 1).toBe(1);
      const tiff = tiffOf(out.exif!);
      expect(tiff.toString('latin1', 0, 2)).toBe(order);
      expect(ifd1Offset(tiff)).toBe(0);
      expect(result.data.indexOf(thumbnail)).toBe(-1);
      const exif = exifReader(out.exif!);
      expect(exif.Thumbnail).toBeUndefined();
      expect(exif.Image).toMatchObject({ Make: 'DeblurCam', Model: 'Model X1' });
      expect(exif.Photo?.ISOSpeedRatings).toBe(400);
      expect(exif.Photo?.DateTimeOriginal).toEqual(new Date(Date.UTC(2024, 4, 6, 7, 8, 9)));
      expect(exif.GPSInfo).toMatchObject({ GPSLatitudeRef: 'N', GPSLatitude: [48, 51, 24] });
      // Stricter readers than sharp drop or refuse a PNG chunk whose CRC no longer matches.
      if (format === 'png') expect(badPngChunks(result.data)).toEqual([]);
      const back = await sharp(result.data).raw().toBuffer();
      expect(back.length).toBe(photo.data.length);
    },
  );

  it('an original without a thumbnail keeps its EXIF as before', async () => {
    const original = await makePhoto(await tempFolder(), 'orig.jpg', { exif: true });
    const photo = await decodePhoto(original);
    const result = await encodePhoto(photo, { format: 'jpeg', original });
    const exif = exifReader((await sharp(result.data).metadata()).exif!);
    expect(exif.Image).toMatchObject({ Make: 'DeblurCam', Model: 'Model X1', Copyright: 'Test Author' });
    expect(exif.Thumbnail).toBeUndefined();
  });

  it('a thumbnail link pointing outside the EXIF does not fail the save', async () => {
    const original = await makePhoto(await tempFolder(), 'orig.jpg');
    const tiff = exifWithThumbnail({ order: 'MM', thumbnail: await oldThumbnail() });
    await addExif(original, relinked(tiff, 0xfffffff0));
    const photo = await decodePhoto(original);
    const result = await encodePhoto(photo, { format: 'jpeg', original });
    const exif = exifReader((await sharp(result.data).metadata()).exif!);
    expect(exif.Image?.Make).toBe('DeblurCam');
    expect(exif.Thumbnail).toBeUndefined();
  });
});

describe('withoutThumbnail', () => {
  it.each<ByteOrder>(['II', 'MM'])(
    '%s: unlinks IFD1 and zeroes it and the JPEG; every other byte as it was',
    async (order) => {
      const thumbnail = await oldThumbnail();
      const tiff = exifWithThumbnail({ order, thumbnail, orientation: 6 });
      const link = ifd1LinkAt(tiff);
      const ifd1 = ifd1Offset(tiff);
      const fixed = withoutThumbnail(tiff)!;
      expect(fixed.length).toBe(tiff.length);
      expect(ifd1Offset(fixed)).toBe(0);
      // The fixture puts IFD1 (all values inline) and then the thumbnail last.
      expect(fixed.subarray(0, link).equals(tiff.subarray(0, link))).toBe(true);
      expect(fixed.subarray(link + 4, ifd1).equals(tiff.subarray(link + 4, ifd1))).toBe(true);
      expect(fixed.subarray(ifd1).every((byte) => byte === 0)).toBe(true);
      const exif = exifReader(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), fixed]));
      expect(exif.Image).toMatchObject({ Make: 'DeblurCam', Orientation: 6 });
      expect(exif.GPSInfo?.GPSLatitude).toEqual([48, 51, 24]);
    },
  );

  it('leaves EXIF without IFD1, or whose header or IFD1 does not read, as it is', async () => {
    const tiff = exifWithThumbnail({ order: 'II', thumbnail: await oldThumbnail() });
    const ifd0 = tiff.readUInt32LE(4);
    expect(withoutThumbnail(relinked(tiff, 0))).toBeUndefined();
    expect(withoutThumbnail(relinked(tiff, tiff.length - 1))).toBeUndefined();
    expect(withoutThumbnail(relinked(tiff, ifd0))).toBeUndefined(); // a loop back onto IFD0
    expect(withoutThumbnail(Buffer.concat([Buffer.from('XX'), tiff.subarray(2)]))).toBeUndefined();
    expect(withoutThumbnail(Buffer.alloc(0))).toBeUndefined();
  });

  it('never throws on a cut-off blob: each prefix comes back unchanged or at its own length', async () => {
    for (const order of ['II', 'MM'] as const) {
      const tiff = exifWithThumbnail({ order, thumbnail: await oldThumbnail() });
      for (let length = 0; length <= tiff.length; length++) {
        const fixed = withoutThumbnail(tiff.subarray(0, length));
        if (fixed) expect(fixed.length).toBe(length);
      }
    }
  });

  it('unlinks an IFD1 whose thumbnail is not a JPEG but leaves those bytes alone', async () => {
    const thumbnail = Buffer.from('not a jpeg at all');
    const tiff = exifWithThumbnail({ order: 'MM', thumbnail });
    const fixed = withoutThumbnail(tiff)!;
    expect(ifd1Offset(fixed)).toBe(0);
    expect(fixed.subarray(-thumbnail.length).equals(thumbnail)).toBe(true);
  });
});

/** Types of the PNG chunks whose CRC does not match their contents. */
function badPngChunks(png: Buffer): string[] {
  const bad: string[] = [];
  for (let chunk = 8; chunk + 12 <= png.length;) {
    const size = png.readUInt32BE(chunk);
    const end = chunk + 8 + size;
    if (crc32(png.subarray(chunk + 4, end)) !== png.readUInt32BE(end))
      bad.push(png.toString('latin1', chunk + 4, chunk + 8));
    chunk = end + 4;
  }
  return bad;
}

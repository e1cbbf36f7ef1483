// EXIF blobs with an embedded JPEG thumbnail (IFD1), written byte by byte: sharp writes EXIF tags but no thumbnail.
import { readFile, writeFile } from 'node:fs/promises';

export type ByteOrder = 'II' | 'MM';

/** tag, TIFF type (2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL as numerator/denominator pairs), value. */
type Entry = [tag: number, type: 2 | 3 | 4 | 5, value: string | number[]];

const EXIF_IFD = 0x8769;
const GPS_IFD = 0x8825;
const THUMBNAIL_OFFSET = 0x0201;

export interface ThumbnailExifSpec {
  order: ByteOrder;
  /** The embedded thumbnail (a JPEG). */
  thumbnail: Buffer;
  orientation?: number;
}

/** A TIFF-structured EXIF blob: IFD0 (camera, orientation), Exif IFD (date, ISO), GPS IFD, then IFD1 with the
 * thumbnail after it, the layout cameras write. */
export function exifWithThumbnail(spec: ThumbnailExifSpec): Buffer {
  const le = spec.order === 'II';
  const ifd0: Entry[] = [
    [0x010f, 2, 'DeblurCam'],
    [0x0110, 2, 'Model X1'],
    [0x0112, 3, [spec.orientation ?? 1]],
    [EXIF_IFD, 4, [0]],
    [GPS_IFD, 4, [0]],
  ];
  const exif: Entry[] = [
    [0x8827, 3, [400]],
    [0x9003, 2, '2024:05:06 07:08:09'],
  ];
  const gps: Entry[] = [
    [0x0001, 2, 'N'],
    [0x0002, 5, [48, 1, 51, 1, 2400, 100]],
  ];
  const ifd1: Entry[] = [
    [0x0103, 3, [6]],
    [THUMBNAIL_OFFSET, 4, [0]],
    [0x0202, 4, [spec.thumbnail.length]],
  ];
  const at0 = 8;
  const atExif = at0 + ifdSize(ifd0);
  const atGps = atExif + ifdSize(exif);
  const at1 = atGps + ifdSize(gps);
  const atThumbnail = at1 + ifdSize(ifd1);
  setValue(ifd0, EXIF_IFD, atExif);
  setValue(ifd0, GPS_IFD, atGps);
  setValue(ifd1, THUMBNAIL_OFFSET, atThumbnail);
  const header = Buffer.alloc(8);
  header.write(spec.order, 0, 'latin1');
  u16(header, 2, 42, le);
  u32(header, 4, at0, le);
  return Buffer.concat([
    header,
    writeIfd(ifd0, at0, at1, le),
    writeIfd(exif, atExif, 0, le),
    writeIfd(gps, atGps, 0, le),
    writeIfd(ifd1, at1, 0, le),
    spec.thumbnail,
  ]);
}

/** Puts `tiff` into the JPEG at `path` as its EXIF (an APP1 segment right after SOI). */
export async function addExif(path: string, tiff: Buffer): Promise<void> {
  const jpeg = await readFile(path);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const marker = Buffer.alloc(4);
  marker.writeUInt16BE(0xffe1, 0);
  marker.writeUInt16BE(payload.length + 2, 2);
  await writeFile(path, Buffer.concat([jpeg.subarray(0, 2), marker, payload, jpeg.subarray(2)]));
}

/** The TIFF structure of an EXIF blob as sharp's metadata() gives it (with or without the "Exif\0\0" header). */
export function tiffOf(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

/** Where IFD0's link to IFD1 (the thumbnail's directory) sits. */
export function ifd1LinkAt(tiff: Buffer): number {
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const ifd0 = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  const count = le ? tiff.readUInt16LE(ifd0) : tiff.readUInt16BE(ifd0);
  return ifd0 + 2 + 12 * count;
}

/** Where IFD0 says IFD1 is: 0 for none. */
export function ifd1Offset(tiff: Buffer): number {
  const link = ifd1LinkAt(tiff);
  return tiff.toString('latin1', 0, 2) === 'II' ? tiff.readUInt32LE(link) : tiff.readUInt32BE(link);
}

/** `tiff` with IFD0's link to IFD1 set to `offset`. */
export function relinked(tiff: Buffer, offset: number): Buffer {
  const out = Buffer.from(tiff);
  u32(out, ifd1LinkAt(out), offset, out.toString('latin1', 0, 2) === 'II');
  return out;
}

function setValue(entries: Entry[], tag: number, value: number): void {
  entries.find(([t]) => t === tag)![2] = [value];
}

function valueBytes([, type, value]: Entry, le: boolean): Buffer {
  if (typeof value === 'string') return Buffer.from(`${value}\0`, 'latin1');
  const size = type === 3 ? 2 : 4;
  const out = Buffer.alloc(value.length * size);
  value.forEach((v, i) => (size === 2 ? u16(out, i * 2, v, le) : u32(out, i * 4, v, le)));
  return out;
}

function count([, type, value]: Entry): number {
  if (typeof value === 'string') return value.length + 1;
  return type === 5 ? value.length / 2 : value.length;
}

/** Directory plus out-of-line values, each padded to an even length. */
function ifdSize(entries: Entry[]): number {
  const data = entries.map((e) => valueBytes(e, true).length).filter((n) => n > 4);
  return 2 + 12 * entries.length + 4 + data.reduce((sum, n) => sum + n + (n % 2), 0);
}

function writeIfd(entries: Entry[], at: number, next: number, le: boolean): Buffer {
  const out = Buffer.alloc(ifdSize(entries));
  u16(out, 0, entries.length, le);
  let data = 2 + 12 * entries.length + 4;
  entries.forEach((entry, i) => {
    const field = 2 + 12 * i;
    const bytes = valueBytes(entry, le);
    u16(out, field, entry[0], le);
    u16(out, field + 2, entry[1], le);
    u32(out, field + 4, count(entry), le);
    if (bytes.length <= 4) {
      bytes.copy(out, field + 8);
    } else {
      u32(out, field + 8, at + data, le);
      bytes.copy(out, data);
      data += bytes.length + (bytes.length % 2);
    }
  });
  u32(out, 2 + 12 * entries.length, next, le);
  return out;
}

function u16(buffer: Buffer, at: number, value: number, le: boolean): void {
  if (le) buffer.writeUInt16LE(value, at);
  else buffer.writeUInt16BE(value, at);
}

function u32(buffer: Buffer, at: number, value: number, le: boolean): void {
  if (le) buffer.writeUInt32LE(value, at);
  else buffer.writeUInt32BE(value, at);
}

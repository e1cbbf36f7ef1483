// Test photos generated with sharp itself in temp folders (no photographs are committed).
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterEach, expect } from 'vitest';
import { ImageError } from '../../src-main/imaging/errors';

/** Mounts a 64 KiB tmpfs on `folder` (root only); undefined where this machine does not allow it. */
export function tinyDisk(folder: string): (() => void) | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder], { stdio: 'ignore' });
    return () => execFileSync('umount', [folder], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
}

/** Whether a read can be denied to these tests: root may read any file, but can switch its effective user. */
export const CAN_DENY_READS = process.getuid?.() !== 0 || process.seteuid !== undefined;

/** A photo in `folder` (mode 000) that `asNobody` may not read; the folder lets anyone through, so the file's
 * own mode is what denies it (mkdtemp makes folders 0700). */
export async function lockedPhoto(folder: string, name: string): Promise<string> {
  const path = await makePhoto(folder, name);
  await chmod(folder, 0o755);
  await chmod(path, 0o000);
  return path;
}

/** Runs `read` as a user who may not read a locked photo, as a photographer's own app would meet one: as root
 * (who may read any file) with the effective user `nobody` around it, back to root however it ends. Check
 * CAN_DENY_READS first. */
export async function asNobody<T>(read: () => Promise<T>): Promise<T> {
  const root = process.getuid?.() === 0;
  if (root) process.seteuid!(65534);
  try {
    return await read();
  } finally {
    if (root) process.seteuid!(0);
  }
}

/** The ImageError a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<ImageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageError);
  return error as ImageError;
}

const folders: string[] = [];

/** A fresh temp folder, removed after the test. */
export async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'deblur-imaging-'));
  folders.push(folder);
  return folder;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

export const EXIF = {
  IFD0: { Make: 'DeblurCam', Model: 'Model X1', Copyright: 'Test Author' },
  IFD2: { ExposureTime: '1/50', ISOSpeedRatings: '400' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2400/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 21/1 0/1',
  },
};

export const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/test">' +
  '<dc:creator><rdf:Seq><rdf:li>Deblur Tester</rdf:li></rdf:Seq></dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';

/** 8-bit RGB test pattern; the top-left 8x8 block is pure red, the rest a dark gradient. */
export function pattern8(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const red = x < 8 && y < 8;
      data[i] = red ? 255 : (x * 3) % 80;
      data[i + 1] = red ? 0 : (y * 5) % 80;
      data[i + 2] = red ? 0 : ((x + y) * 7) % 80;
    }
  }
  return data;
}

/** 16-bit RGB noise-like pattern using the whole 0..65535 range. */
export function pattern16(width: number, height: number): Uint16Array {
  const data = new Uint16Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 65536;
  return data;
}

export interface PhotoSpec {
  width?: number;
  height?: number;
  /** EXIF orientation tag to write (note: withMetadata also embeds an sRGB profile unless icc is set). */
  orientation?: number;
  icc?: 'p3' | 'srgb';
  exif?: boolean;
  xmp?: boolean;
  depth?: 8 | 16;
}

/** Writes a generated photo to `folder/name` (format from the extension) and returns its path. */
export async function makePhoto(folder: string, name: string, spec: PhotoSpec = {}): Promise<string> {
  const { width = 48, height = 32 } = spec;
  const pixels = spec.depth === 16 ? pattern16(width, height) : pattern8(width, height);
  let image: Sharp = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (spec.depth === 16) image = image.toColourspace('rgb16');
  if (spec.orientation) image = image.withMetadata({ orientation: spec.orientation });
  if (spec.icc) image = image.withIccProfile(spec.icc);
  if (spec.exif) image = image.withExifMerge(EXIF);
  if (spec.xmp) image = image.withXmp(XMP);
  const path = join(folder, name);
  await writeFile(path, await formatByName(image, name).toBuffer());
  return path;
}

function formatByName(image: Sharp, name: string): Sharp {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return image.jpeg({ quality: 95 });
  if (ext === 'png') return image.png();
  if (ext === 'webp') return image.webp({ quality: 95 });
  if (ext === 'avif') return image.avif({ quality: 80 });
  if (ext === 'tif' || ext === 'tiff') return image.tiff({ compression: 'deflate' });
  if (ext === 'gif') return image.gif();
  throw new Error(`no test format for ${name}`);
}

/** A minimal ICC v2 greyscale display profile (gamma 2.2, D50 white), built byte by byte because sharp has no
 * built-in grey profile to attach. */
export function grayIccProfile(): Buffer {
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const s15 = (v: number) => u32(Math.round(v * 65536) >>> 0);
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const text = 'Gray Gamma 2.2\0';
  const d50 = [s15(0.9642), s15(1), s15(0.8249)];
  const tags: [string, Buffer][] = [
    [
      'desc',
      Buffer.concat([Buffer.from('desc'), u32(0), u32(text.length), Buffer.from(text), Buffer.alloc(78)]),
    ],
    ['wtpt', Buffer.concat([Buffer.from('XYZ '), u32(0), ...d50])],
    ['kTRC', Buffer.concat([Buffer.from('curv'), u32(0), u32(1), Buffer.from([2, 0x33])])], // u8.8 2.2
    ['cprt', Buffer.from('text\0\0\0\0none\0')],
  ];
  let offset = 128 + 4 + 12 * tags.length;
  const table = [u32(tags.length)];
  const bodies = tags.map(([sig, body]) => {
    table.push(Buffer.from(sig), u32(offset), u32(body.length));
    offset += pad(body).length;
    return pad(body);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x02100000, 8);
  header.write('mntrGRAYXYZ ', 12);
  header.write('acsp', 36);
  Buffer.concat(d50).copy(header, 68);
  return Buffer.concat([header, ...table, ...bodies]);
}

// What the app's viewer needs from a photo file: its upright size, a thumbnail, and bytes a browser can show.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { probePhoto } from './decode';
import { readFailure } from './readable';
import type { PhotoFormat } from './types';

export interface PhotoSummary {
  width: number;
  height: number;
  format: PhotoFormat;
  depth: 8 | 16;
}

/** Formats Chromium shows as they are; others (TIFF) are converted for display. */
const BROWSER_FORMATS: Partial<Record<PhotoFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};

export async function summarizePhoto(path: string): Promise<PhotoSummary> {
  const probe = await probePhoto(path);
  try {
    const meta = await sharp(path, { limitInputPixels: false }).metadata();
    const turned = probe.orientation >= 5;
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    return {
      width: turned ? height : width,
      height: turned ? width : height,
      format: probe.format,
      depth: probe.depth,
    };
  } catch (error) {
    throw await readFailure(path, error);
  }
}

/** An upright sRGB JPEG fitted inside `maxSide` (never enlarged). */
export async function thumbnailJpeg(path: string, maxSide = 256): Promise<Buffer> {
  try {
    return await sharp(path, { failOn: 'error' })
      .autoOrient()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .jpeg({ quality: 82 })
      .toBuffer();
  } catch (error) {
    throw await readFailure(path, error);
  }
}

/** The file's own bytes when a browser shows them upright, else a lossless upright PNG. */
export async function displayImage(
  path: string,
  format: PhotoFormat,
): Promise<{ data: Buffer; mime: string }> {
  const mime = BROWSER_FORMATS[format];
  try {
    // Chromium turns JPEG, PNG and AVIF by their EXIF orientation, as the engine does, but not WebP (Chromium
    // 156: a WebP tagged 6 is drawn sideways), so a turned WebP is converted.
    const upright = format !== 'webp' || ((await sharp(path).metadata()).orientation ?? 1) === 1;
    if (mime && upright) return { data: await readFile(path), mime };
    const data = await sharp(path, { failOn: 'error' }).autoOrient().png({ compressionLevel: 1 }).toBuffer();
    return { data, mime: 'image/png' };
  } catch (error) {
    throw await readFailure(path, error);
  }
}

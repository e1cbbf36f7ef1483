// What the viewer draws of a big image: a down-scaled "screen" copy of the whole image, and full-resolution tiles
// cut from a decode that is kept for the next tiles (a couple of images at a time, so memory stays bounded).
import sharp from 'sharp';
import { displayImage } from './display';
import { readError } from './errors';
import { readFailure } from './readable';
import type { PixelRect } from './encode';
import type { PhotoFormat } from './types';

/**
 * The screen copy's longest side: as wide as a 1440p monitor, so a photo fitted to any window up to that size
 * (in CSS pixels) loses nothing, while a 24 MP photo shrunk to it is 4.4 MP: a fifth of the pixels for the
 * browser to decode and hold (17 MB instead of 96 MB). Zoomed in past it, the viewer draws full-resolution tiles.
 */
export const SCREEN_MAX_SIDE = 2560;

/** Full-resolution tiles are this many pixels square (smaller at the right and bottom edges). */
export const TILE_SIZE = 1024;

/** An image file the viewer shows, with its upright size. */
export interface ViewFile {
  path: string;
  format: PhotoFormat;
  width: number;
  height: number;
}

export interface ServedImage {
  data: Buffer;
  mime: string;
}

/** The screen copy's size: the image's own when it fits inside SCREEN_MAX_SIDE, else the long side at the limit. */
export function screenSize(width: number, height: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= SCREEN_MAX_SIDE) return { width, height };
  const k = SCREEN_MAX_SIDE / long;
  return {
    width: width >= height ? SCREEN_MAX_SIDE : Math.max(1, Math.round(width * k)),
    height: height > width ? SCREEN_MAX_SIDE : Math.max(1, Math.round(height * k)),
  };
}

/**
 * The screen copy: the full image's own bytes (displayImage) when it fits, else upright, shrunk with Lanczos-3 to
 * screenSize, converted to sRGB (as the tiles are, so the two match), as a JPEG at quality 90 without chroma
 * subsampling (a PNG when the image has alpha).
 */
export async function screenImage(file: ViewFile): Promise<ServedImage> {
  const size = screenSize(file.width, file.height);
  if (size.width === file.width && size.height === file.height) return displayImage(file.path, file.format);
  try {
    const image = sharp(file.path, { failOn: 'error' });
    const { hasAlpha } = await image.metadata();
    const shrunk = image
      .autoOrient()
      .resize({ ...size, fit: 'fill', kernel: 'lanczos3' })
      .toColourspace('srgb');
    if (hasAlpha) return { data: await shrunk.png({ compressionLevel: 6 }).toBuffer(), mime: 'image/png' };
    const data = await shrunk.jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer();
    return { data, mime: 'image/jpeg' };
  } catch (error) {
    throw await readFailure(file.path, error);
  }
}

/** How many tiles cover a width x height image. */
export function tileGrid(width: number, height: number): { columns: number; rows: number } {
  return { columns: Math.ceil(width / TILE_SIZE), rows: Math.ceil(height / TILE_SIZE) };
}

/** The pixels tile (column, row) covers; undefined unless both are whole numbers inside the grid. */
export function tileRect(width: number, height: number, column: number, row: number): PixelRect | undefined {
  const { columns, rows } = tileGrid(width, height);
  const inside = (n: number, count: number) => Number.isInteger(n) && n >= 0 && n < count;
  if (!inside(column, columns) || !inside(row, rows)) return undefined;
  const x = column * TILE_SIZE;
  const y = row * TILE_SIZE;
  return { x, y, width: Math.min(TILE_SIZE, width - x), height: Math.min(TILE_SIZE, height - y) };
}

interface Decoded {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * Cuts full-resolution tiles as lossless 8-bit sRGB PNGs (what the viewer shows at 100 % and beyond must be the
 * exact pixels). The upright decode of the last `capacity` files is kept, least recently used dropped first: a
 * 24 MP photo is 72 MB decoded, and two (the photo and its result, side by side in the compare view) are enough.
 */
export class TileCutter {
  private readonly decodes = new Map<string, Promise<Decoded>>();

  constructor(private readonly capacity = 2) {}

  async tile(path: string, rect: PixelRect): Promise<ServedImage> {
    const decoded = await this.decode(path);
    if (rect.x + rect.width > decoded.width || rect.y + rect.height > decoded.height) {
      throw readError(path, new Error(`${path}: changed on disk (now ${decoded.width}x${decoded.height})`));
    }
    const { data, width, height, channels } = decoded;
    const png = await sharp(data, { raw: { width, height, channels } })
      .extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height })
      .png({ compressionLevel: 1, adaptiveFiltering: false })
      .toBuffer();
    return { data: png, mime: 'image/png' };
  }

  /** Drops the file's decode (its photo was closed or its result replaced). */
  forget(path: string): void {
    this.decodes.delete(path);
  }

  /** Paths whose decode is kept (or under way), least recently used first. */
  kept(): string[] {
    return [...this.decodes.keys()];
  }

  private decode(path: string): Promise<Decoded> {
    let decoded = this.decodes.get(path);
    if (decoded) {
      this.decodes.delete(path);
    } else {
      decoded = decodeUpright(path);
      decoded.catch(() => {
        if (this.decodes.get(path) === decoded) this.decodes.delete(path);
      });
    }
    this.decodes.set(path, decoded);
    while (this.decodes.size > this.capacity) this.decodes.delete(this.decodes.keys().next().value!);
    return decoded;
  }
}

async function decodeUpright(path: string): Promise<Decoded> {
  try {
    const { data, info } = await sharp(path, { failOn: 'error' })
      .autoOrient()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw await readFailure(path, error);
  }
}

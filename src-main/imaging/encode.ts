// Encode processed RGB pixels, carrying EXIF/XMP/ICC over from the original photo (sharp only).
// The pixels are composited over the original file opened with keepMetadata(), so every metadata field
// sharp can write survives; orientation (EXIF and XMP) becomes 1 because the pixels are already upright. The
// original's EXIF thumbnail is dropped afterwards (output-thumbnail.ts): it showed the old pixels.
// The original's transparency is joined back where the format holds it (alpha.ts).
import sharp, { type Metadata, type Sharp } from 'sharp';
import { encodeWithAlpha, originalAlpha, type AlphaSamples } from './alpha';
import { foreignSpace } from './decode';
import { ImageError, encodeError } from './errors';
import { readFailure } from './readable';
import { FORMAT_FACTS, assertFitsFormat } from './formats';
import { dropExifThumbnail } from './output-thumbnail';
import { assertRgb, convertDepth } from './pixels';
import type { BitDepth, PhotoFormat, RgbPixels } from './types';
import { uprightXmp } from './xmp';

export const DEFAULT_QUALITY = 92;

export interface EncodeOptions {
  format: PhotoFormat;
  /** 1..100 for JPEG, WebP and AVIF; ignored by PNG and TIFF. */
  quality?: number;
  /** WebP and AVIF only. */
  lossless?: boolean;
  /** Output bit depth; defaults to the pixels' depth, capped by the format. 16 asked for falls back to 8 with a
   * warning where impossible. */
  depth?: BitDepth;
  /** Path of the original photo, whose EXIF, XMP and ICC profile are carried over. */
  original?: string;
  /** What of the original's metadata is kept: 'all' (EXIF, XMP, ICC; the default) or 'profile' (the ICC profile
   * only: no EXIF, no XMP, so no GPS, camera or author fields). */
  metadata?: MetadataChoice;
  /** The pixels are only this rectangle of the upright original (a preview): the original is cut to it. */
  region?: PixelRect;
  /** Where the result will be written, named in errors (default: the original's path). */
  path?: string;
}

export type MetadataChoice = 'all' | 'profile';

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EncodeResult {
  data: Buffer;
  format: PhotoFormat;
  depth: BitDepth;
  /** Things the output could not keep, in plain words. */
  warnings: string[];
}

export async function encodePhoto(pixels: RgbPixels, options: EncodeOptions): Promise<EncodeResult> {
  assertRgb(pixels);
  const quality = options.quality ?? DEFAULT_QUALITY;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`quality must be an integer from 1 to 100, got ${quality}`);
  }
  const path = options.path ?? options.original ?? 'output';
  assertFitsFormat(options.format, pixels.width, pixels.height, path);
  const warnings: string[] = [];
  const depth = outputDepth(pixels.depth, options, warnings);
  const output = convertDepth(pixels, depth);
  const { image, alpha, grey } = options.original
    ? await overOriginal(output, options, warnings)
    : { image: fromPixels(output), alpha: undefined, grey: false };
  // A greyscale original stays greyscale: the network's output is RGB, its tiny colour casts are not wanted.
  const space = (s: Sharp) =>
    grey ? s.toColourspace(depth === 16 ? 'grey16' : 'b-w') : depth === 16 ? s.toColourspace('rgb16') : s;
  const finish = (s: Sharp) =>
    withFormat(space(s), options.format, quality, options.lossless ?? false).toBuffer();
  let data: Buffer;
  try {
    data = alpha
      ? await encodeWithAlpha(space(image), alpha.samples, output, (joined) => finish(alpha.keep(joined)))
      : await finish(image);
  } catch (error) {
    throw encodeError(path, options.format, error);
  }
  const keptExif = (options.metadata ?? 'all') === 'all' && FORMAT_FACTS[options.format].holdsExif;
  if (options.original && keptExif) data = await dropExifThumbnail(data, options.format);
  return { data, format: options.format, depth, warnings };
}

function outputDepth(pixelDepth: BitDepth, options: EncodeOptions, warnings: string[]): BitDepth {
  const wanted = options.depth ?? pixelDepth;
  const max = FORMAT_FACTS[options.format].maxDepth;
  if (wanted <= max) return wanted;
  // 16-bit pixels going to an 8-bit format is the expected case; only a 16-bit the caller asked for is lost.
  if (options.depth !== undefined) {
    warnings.push(`${options.format.toUpperCase()} cannot hold 16-bit pixels: written as 8-bit`);
  }
  return max;
}

function fromPixels(pixels: RgbPixels): Sharp {
  const { width, height } = pixels;
  // Raw input depth follows the typed array: Uint16Array is read as 16-bit.
  return sharp(pixels.data, { raw: { width, height, channels: 3 } });
}

interface OverOriginal {
  image: Sharp;
  /** The original's transparency, for formats that hold it: joined after compositing, its metadata then chosen
   * again by `keep`. */
  alpha: { samples: AlphaSamples; keep: (joined: Sharp) => Sharp } | undefined;
  /** The original is greyscale in sRGB's grey (no profile of its own): written greyscale. */
  grey: boolean;
}

async function overOriginal(
  pixels: RgbPixels,
  options: EncodeOptions,
  warnings: string[],
): Promise<OverOriginal> {
  const path = options.original!;
  const meta = await originalMetadata(path);
  const { region } = options;
  const upright = meta.autoOrient;
  const expected = region ?? upright;
  if (expected.width !== pixels.width || expected.height !== pixels.height) {
    const what = region
      ? `the region is ${region.width}x${region.height}`
      : `the original is ${upright.width}x${upright.height} upright`;
    throw new ImageError(
      'wrong-size',
      path,
      `${path}: pixels are ${pixels.width}x${pixels.height} but ${what}`,
    );
  }
  if (region && (region.x + region.width > upright.width || region.y + region.height > upright.height)) {
    throw new ImageError('wrong-size', path, `${path}: the region lies outside the photo`);
  }
  let image = sharp(path, { limitInputPixels: false, failOn: 'none' }).autoOrient();
  if (region) {
    // After autoOrient(), extract() cuts the upright image.
    image = image.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  }
  if (pixels.depth === 16) image = image.pipelineColourspace('rgb16');
  const { width, height } = pixels;
  // composite() accepts typed arrays at run time (the typings say Buffer); depth follows the array type.
  const overlay = pixels.data as unknown as Buffer;
  image = image
    .composite([{ input: overlay, raw: { width, height, channels: 3 }, top: 0, left: 0 }])
    .removeAlpha();
  image = withOriginalMetadata(image, meta, options, warnings);
  // sharp reads the first page of a multi-page TIFF or the first frame of an animation; say the rest is not kept.
  if ((meta.pages ?? 1) > 1) {
    warnings.push(`the original has ${meta.pages} pages or frames: only the first was restored and written`);
  }
  const grey = (meta.space === 'b-w' || meta.space === 'grey16') && !foreignSpace(meta);
  if (!meta.hasAlpha || !FORMAT_FACTS[options.format].holdsAlpha) return { image, alpha: undefined, grey };
  let samples: AlphaSamples;
  try {
    samples = await originalAlpha(path, meta, region, pixels.depth);
  } catch (error) {
    throw await readFailure(path, error);
  }
  return {
    image,
    alpha: { samples, keep: (joined) => withOriginalMetadata(joined, meta, options, []) },
    grey,
  };
}

/** All of the original's metadata, or its colour profile only (options.metadata). */
function withOriginalMetadata(
  image: Sharp,
  meta: Metadata,
  options: EncodeOptions,
  warnings: string[],
): Sharp {
  const all = (options.metadata ?? 'all') === 'all';
  const foreign = foreignSpace(meta);
  if (foreign) {
    // decodePhoto gave sRGB pixels for these; the original's profile would be dropped or wrong.
    warnings.push(
      `the ${foreign} colour profile of the original cannot describe RGB pixels: written as sRGB`,
    );
    image = image.toColourspace('srgb');
    if (all) image = image.keepExif().keepXmp();
  } else {
    image = all ? image.keepMetadata() : image.keepIccProfile();
  }
  // Only the EXIF orientation turns the pixels (decodePhoto's autoOrient): an XMP one is kept when nothing turned.
  const turned = (meta.orientation ?? 1) > 1;
  const xmp = all && meta.xmp && turned ? uprightXmp(meta.xmp) : undefined;
  if (xmp) image = image.withXmp(xmp);
  if (all && meta.exif && !FORMAT_FACTS[options.format].holdsExif) {
    warnings.push(`${options.format.toUpperCase()} cannot hold EXIF: EXIF not carried over`);
  }
  if (meta.hasAlpha && !FORMAT_FACTS[options.format].holdsAlpha) {
    warnings.push(`${options.format.toUpperCase()} cannot hold transparency: written opaque`);
  }
  return image;
}

async function originalMetadata(path: string): Promise<Metadata> {
  try {
    return await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw await readFailure(path, error);
  }
}

function withFormat(image: Sharp, format: PhotoFormat, quality: number, lossless: boolean): Sharp {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' });
    case 'png':
      return image.png({ compressionLevel: 6 });
    case 'tiff':
      // sharp's TIFF default is JPEG compression: lossless deflate instead.
      return image.tiff({ compression: 'deflate', predictor: 'horizontal' });
    case 'webp':
      return image.webp({ quality, lossless });
    case 'avif':
      return image.avif({ quality, lossless });
  }
}

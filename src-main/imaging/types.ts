// Plain data shared by the imaging files: pixels travel as interleaved RGB typed arrays.

/** Photo formats the app reads and writes. */
export const PHOTO_FORMATS = ['jpeg', 'png', 'tiff', 'webp', 'avif'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

export type BitDepth = 8 | 16;

/** Interleaved RGB pixels, row-major, top-left first: `data.length === width * height * 3`. */
export interface RgbPixels {
  width: number;
  height: number;
  channels: 3;
  depth: BitDepth;
  /** Uint8Array for 8-bit, Uint16Array for 16-bit (values 0..65535). */
  data: Uint8Array | Uint16Array;
}

/** A decoded photo: upright pixels (EXIF orientation applied) in the source colour space. */
export interface DecodedPhoto extends RgbPixels {
  format: PhotoFormat;
  /** The source had an alpha channel: the pixels are RGB; encodePhoto puts the alpha back where it can. */
  hasAlpha: boolean;
  /** The EXIF orientation (1..8) that was applied to get upright pixels; 1 when there was none. */
  orientation: number;
  /** The source's ICC profile; the pixels are in this colour space. Absent: sRGB. */
  icc?: Buffer;
  sourcePath: string;
}

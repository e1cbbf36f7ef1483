// An encoded output rid of the EXIF thumbnail carried over from the original (exif-thumbnail.ts says why).
// The EXIF is edited where it lies in the file, at the same length: JPEG APP1, WebP EXIF chunk and HEIF Exif item
// need no other change; a PNG eXIf chunk needs its CRC again.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { withoutThumbnail } from './exif-thumbnail';
import type { PhotoFormat } from './types';

const EXIF_HEADER = 'Exif\0\0';

/** `encoded` without its EXIF thumbnail; `encoded` itself when it has none or its EXIF cannot be found or read
 * (odd EXIF never fails a save: it is kept as it was). */
export async function dropExifThumbnail(encoded: Buffer, format: PhotoFormat): Promise<Buffer> {
  try {
    const { exif } = await sharp(encoded).metadata();
    if (!exif) return encoded;
    const tiff =
      exif.toString('latin1', 0, EXIF_HEADER.length) === EXIF_HEADER
        ? exif.subarray(EXIF_HEADER.length)
        : exif;
    const fixed = withoutThumbnail(tiff);
    if (!fixed) return encoded;
    // Each container holds the blob in one piece; found twice, which one is the EXIF is unknown.
    const at = encoded.indexOf(tiff);
    if (at < 0 || encoded.indexOf(tiff, at + 1) >= 0) return encoded;
    const out = Buffer.from(encoded);
    fixed.copy(out, at);
    if (format === 'png' && !refreshPngCrc(out, at, fixed.length)) return encoded;
    return out;
  } catch {
    return encoded;
  }
}

/** Rewrites the CRC of the PNG chunk whose data holds bytes at..at+length; false when no chunk does. */
function refreshPngCrc(png: Buffer, at: number, length: number): boolean {
  let chunk = 8; // after the PNG signature
  while (chunk + 12 <= png.length) {
    const size = png.readUInt32BE(chunk);
    const data = chunk + 8;
    if (data + size + 4 > png.length) return false;
    if (at >= data && at + length <= data + size) {
      png.writeUInt32BE(crc32(png.subarray(chunk + 4, data + size)), data + size);
      return true;
    }
    chunk = data + size + 4;
  }
  return false;
}

// The embedded EXIF thumbnail (IFD1 and the JPEG it points to), cut out of a TIFF-structured EXIF blob.
// libvips carries the original's thumbnail into every output and sharp has no way to drop it, so viewers that show
// it showed the old, blurred picture (and the wrong way round once the pixels were turned upright).

const JPEG_INTERCHANGE_FORMAT = 0x0201;
const JPEG_INTERCHANGE_FORMAT_LENGTH = 0x0202;
const TIFF_LONG = 4;

interface Directory {
  start: number;
  /** Just past the directory: its entries and the 4-byte link to the next one. */
  end: number;
  entries: number;
}

/** A copy of `tiff` (EXIF from its "II" or "MM" header on) with IFD0's link to IFD1 set to 0 and IFD1's
 * directory and JPEG thumbnail zeroed. The length stays the same, so the copy can replace the old bytes wherever
 * a container holds them. Undefined when there is no IFD1 or the structure does not read as expected: such EXIF
 * is kept as it is. */
export function withoutThumbnail(tiff: Buffer): Buffer | undefined {
  if (tiff.length < 8) return undefined;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return undefined;

  const directory = (start: number): Directory | undefined => {
    if (start < 8 || start + 2 > tiff.length) return undefined;
    const entries = u16(start);
    const end = start + 2 + 12 * entries + 4;
    return end <= tiff.length ? { start, end, entries } : undefined;
  };
  const ifd0 = directory(u32(4));
  if (!ifd0) return undefined;
  const link = ifd0.end - 4;
  const ifd1 = directory(u32(link));
  // Zeroing a directory that overlaps IFD0 would take IFD0 with it.
  if (!ifd1 || (ifd1.start < ifd0.end && ifd0.start < ifd1.end)) return undefined;

  const out = Buffer.from(tiff);
  out.fill(0, link, link + 4);
  const jpeg = thumbnailRange(ifd1, u16, u32);
  // Only bytes that are a JPEG inside the blob are wiped; anything else IFD1 names is left alone, unlinked.
  if (jpeg && jpeg.end <= tiff.length && tiff[jpeg.start] === 0xff && tiff[jpeg.start + 1] === 0xd8) {
    out.fill(0, jpeg.start, jpeg.end);
  }
  out.fill(0, ifd1.start, ifd1.end);
  return out;
}

/** Where IFD1's JPEGInterchangeFormat and JPEGInterchangeFormatLength say the thumbnail is, if both are there. */
function thumbnailRange(
  ifd1: Directory,
  u16: (at: number) => number,
  u32: (at: number) => number,
): { start: number; end: number } | undefined {
  let start: number | undefined;
  let length: number | undefined;
  for (let i = 0; i < ifd1.entries; i++) {
    const field = ifd1.start + 2 + 12 * i;
    if (u16(field + 2) !== TIFF_LONG || u32(field + 4) !== 1) continue;
    const tag = u16(field);
    if (tag === JPEG_INTERCHANGE_FORMAT) start = u32(field + 8);
    if (tag === JPEG_INTERCHANGE_FORMAT_LENGTH) length = u32(field + 8);
  }
  if (start === undefined || length === undefined || start < 8 || length < 2) return undefined;
  return { start, end: start + length };
}

// A photo is opened (decoded) first, then read again later: for the screen copy, tiles, a thumbnail and the
// original's metadata when the result is saved. If the file changed in between, sharp calls it "unsupported
// image format"; the error must say what happened to the file instead.
import { chmod, truncate, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../src-main/imaging/decode';
import { thumbnailJpeg } from '../../src-main/imaging/display';
import { encodePhoto } from '../../src-main/imaging/encode';
import { TileCutter, screenImage } from '../../src-main/imaging/view';
import { CAN_DENY_READS, asNobody, makePhoto, rejection, tempFolder } from './helpers';

/** A 3000x2000 JPEG (larger than the screen copy, so screenImage shrinks it with sharp) and its decode. */
async function openedPhoto() {
  const folder = await tempFolder();
  const path = await makePhoto(folder, 'opened.jpg', { width: 3000, height: 2000 });
  const photo = await decodePhoto(path);
  return { folder, path, photo };
}

/** What reads the file again after it was opened, each as the app calls it. */
function readers(
  path: string,
  photo: Awaited<ReturnType<typeof decodePhoto>>,
): Record<string, () => Promise<unknown>> {
  return {
    screen: () => screenImage({ path, width: 3000, height: 2000, format: 'jpeg' }),
    tile: () => new TileCutter().tile(path, { x: 0, y: 0, width: 16, height: 16 }),
    thumbnail: () => thumbnailJpeg(path),
    save: () => encodePhoto(photo, { format: 'png', original: path }),
  };
}

describe('a photo that changed on disk after it was opened', () => {
  it('whose permissions were taken away: denied, not "not an image format"', async (context) => {
    if (!CAN_DENY_READS) return context.skip('cannot change the effective user here');
    const { folder, path, photo } = await openedPhoto();
    await chmod(folder, 0o755);
    await chmod(path, 0o000);
    for (const [name, read] of Object.entries(readers(path, photo))) {
      const error = await rejection(asNobody(read));
      expect(error.code, name).toBe('denied');
      expect(error.message, name).toBe(`${path}: permission denied: it cannot be read (EACCES)`);
    }
  });

  it('that was emptied: an empty file, not "not an image format"', async () => {
    const { path, photo } = await openedPhoto();
    await truncate(path, 0);
    for (const [name, read] of Object.entries(readers(path, photo))) {
      const error = await rejection(read());
      expect(error.code, name).toBe('corrupt');
      expect(error.message, name).toBe(`${path}: empty file (0 bytes)`);
    }
  });

  it('that was replaced by bytes that are no image: still "not an image format"', async () => {
    const { path, photo } = await openedPhoto();
    await writeFile(path, 'plain text, no image');
    const error = await rejection(readers(path, photo).thumbnail!());
    expect(error.code).toBe('unsupported');
  });
});

// The checks before sharp reads a photo file, in one place for the viewer, `deblur` and the batch: sharp reports
// a file it may not open, and an empty one, as "unsupported image format", so a photo we may not read would be
// told as no photo at all.
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ImageError, deniedError, readError } from './errors';

/** Refuses, with its own reason, what is no regular file, an empty file and a file we may not read. */
export async function assertReadable(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    // A folder on the way we may not search is denied; anything else is as good as missing.
    throw (
      deniedError(path, error) ??
      new ImageError('not-found', path, `${path}: file not found`, { cause: error })
    );
  }
  // Never opened: reading a pipe or a device would wait for ever.
  if (!info.isFile()) throw new ImageError('unsupported', path, `${path}: not a file`);
  if (info.size === 0) throw new ImageError('corrupt', path, `${path}: empty file (0 bytes)`);
  try {
    await (await open(path, 'r')).close();
  } catch (error) {
    throw readError(path, error);
  }
}

/**
 * readError, but a file sharp calls "unsupported" or damaged is checked again first: one whose permissions
 * changed, or that was emptied or removed, since it was opened is told as that, not as no image at all.
 */
export async function readFailure(path: string, error: unknown): Promise<ImageError> {
  const mapped = readError(path, error);
  if (mapped.code !== 'unsupported' && mapped.code !== 'corrupt') return mapped;
  try {
    await assertReadable(path);
  } catch (again) {
    if (again instanceof ImageError) return again;
  }
  return mapped;
}

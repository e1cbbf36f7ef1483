// Write a file atomically: a temp file in the same folder, fsync, rename (link for noClobber). Readers see the
// old file or the new one, never half of one; on any error the temp file is removed and the target is untouched.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ImageError } from './errors';

export interface AtomicWriteOptions {
  /** Paths that must never be overwritten (the original photo). */
  protect?: readonly string[];
  /** Refuse to replace an existing file, even one made while writing (default false: replace it). */
  noClobber?: boolean;
}

/** Errors of link() on file systems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

export async function writeFileAtomic(
  target: string,
  data: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const path = resolve(target);
  await assertWritable(path, options);
  const temp = join(dirname(path), `.${tempStem(basename(path))}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.noClobber) await placeNew(temp, path, data);
    else await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeError(path, error);
  }
  await syncFolder(dirname(path));
}

/** The part of a file's name its temp file carries: `.<stem>.<12 hex>.tmp` adds 18 bytes, so names longer than
 * STEM_BYTES (UTF-8) are cut, whole characters only, to stay under file systems' 255-byte limit. */
export function tempStem(name: string): string {
  let bytes = 0;
  let stem = '';
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > STEM_BYTES) break;
    stem += char;
  }
  return stem;
}

const STEM_BYTES = 200;

/** Before long work on its content: `target`'s folder exists (it is made) and is writable, and `target` is none
 * of the `protect`ed files, by any name (links included). */
export async function checkWritable(target: string, protect: readonly string[] = []): Promise<void> {
  const path = resolve(target);
  try {
    await mkdir(dirname(path), { recursive: true });
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      const why = `${path}: no folder can be made there (${dirname(path)} or a folder above it is a file)`;
      throw new ImageError('write-failed', path, why, { cause: error });
    }
    throw writeError(path, error);
  }
  await assertWritable(path, { protect });
}

/** Moves the temp file to `path` only if nothing is there: link() fails with EEXIST where rename() would
 * replace a file made since the first check. */
async function placeNew(temp: string, path: string, data: Uint8Array): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw exists(path, error);
    if (!NO_HARD_LINKS.has(code)) throw error;
    await writeNew(path, data);
  }
  await rm(temp, { force: true });
}

/** Without hard links: an exclusive create, never over a file, though a reader may see it half-written. */
async function writeNew(path: string, data: Uint8Array): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? exists(path, error) : error;
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(path, { force: true }); // ours: made by the exclusive create above
    throw error;
  }
  await handle.close();
}

function exists(path: string, cause?: unknown): ImageError {
  return new ImageError('write-failed', path, `${path}: a file with this name already exists`, { cause });
}

async function assertWritable(path: string, options: AtomicWriteOptions): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  for (const protectedPath of options.protect ?? []) {
    if (await samePath(path, protectedPath, existing)) {
      throw new ImageError('protected', path, `${path}: refusing to overwrite the original photo`);
    }
  }
  if (existing && options.noClobber) throw exists(path);
}

/** Same file by resolved path, real path (symlinks) or inode (hard links). */
async function samePath(path: string, other: string, existing: Awaited<ReturnType<typeof stat>> | undefined) {
  if (resolve(other) === path) return true;
  const otherStat = await stat(other).catch(() => undefined);
  if (!existing || !otherStat) return false;
  if (existing.dev === otherStat.dev && existing.ino === otherStat.ino) return true;
  return (await realpath(path)) === (await realpath(other));
}

function writeError(path: string, error: unknown): ImageError {
  if (error instanceof ImageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ImageError('disk-full', path, `${path}: not enough disk space; nothing was written`, {
      cause: error,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ImageError('write-failed', path, `${path}: could not be written (${detail})`, { cause: error });
}

/** Makes the rename durable; some file systems refuse to fsync a folder, which is harmless. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

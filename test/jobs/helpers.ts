// Albums of generated photos for the jobs and batch CLI tests: nested folders, a sidecar mask and junk files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll } from 'vitest';
import { InferenceEngine } from '../../src-main/inference';
import { BatchJob, planBatch, type BatchEvent, type BatchRequest } from '../../src-main/jobs';
import { FIXTURE_DIR } from '../inference/helpers';
import { makePhoto, tempFolder, tinyDisk } from '../imaging/helpers';

export interface Album {
  root: string;
  /** Photos the batch should restore, relative to root. */
  photos: string[];
  /** Files the batch should skip, relative to root. */
  junk: string[];
}

/**
 * root/a.jpg (EXIF), root/b.png, root/trip/c.jpg, root/trip/day2/d.png with a protect-all sidecar mask,
 * plus .DS_Store, notes.txt, empty.jpg (zero bytes) and trip/broken.jpg (truncated JPEG).
 */
export async function makeAlbum(root: string, size = { width: 128, height: 96 }): Promise<Album> {
  await mkdir(join(root, 'trip', 'day2'), { recursive: true });
  await makePhoto(root, 'a.jpg', { ...size, exif: true });
  await makePhoto(root, 'b.png', size);
  await makePhoto(join(root, 'trip'), 'c.jpg', size);
  const d = await makePhoto(join(root, 'trip', 'day2'), 'd.png', size);
  const protectAll = Buffer.alloc(size.width * size.height); // 0 = protect every pixel
  await sharp(protectAll, { raw: { ...size, channels: 1 } })
    .png()
    .toFile(`${d}.mask.png`);
  await writeFile(join(root, '.DS_Store'), Buffer.from([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
  await writeFile(join(root, 'notes.txt'), 'shot list\n');
  await writeFile(join(root, 'empty.jpg'), '');
  const whole = await readFile(await makePhoto(join(root, 'trip'), 'whole.jpg', { width: 300, height: 300 }));
  await writeFile(join(root, 'trip', 'broken.jpg'), whole.subarray(0, 300));
  await rm(join(root, 'trip', 'whole.jpg'));
  return {
    root,
    photos: ['a.jpg', 'b.png', 'trip/c.jpg', 'trip/day2/d.png'],
    junk: ['.DS_Store', 'notes.txt', 'empty.jpg', 'trip/broken.jpg'],
  };
}

/** A PNG whose header says width x height RGB but holds almost no pixel data: a photo over the pixel limit
 * in a few bytes (the limit is checked on the header, before any pixel is decoded). */
export async function hugePng(path: string, width: number, height: number): Promise<string> {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13); // 8-bit RGB, no interlace
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = chunk('IDAT', deflateSync(Buffer.alloc(1024)));
  await writeFile(
    path,
    Buffer.concat([signature, chunk('IHDR', header), idat, chunk('IEND', Buffer.alloc(0))]),
  );
  return path;
}

/** Many small photos in one folder. */
export async function makePhotos(folder: string, count: number, size = { width: 128, height: 96 }) {
  await mkdir(folder, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, '0')}.jpg`);
  for (const name of names) await makePhoto(folder, name, size);
  return names;
}

/** sha256 of every file under `folder`, by relative path. */
export async function checksums(folder: string): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const file of await listFiles(folder)) {
    sums[relative(folder, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return sums;
}

/** Every file under `folder` (recursive), sorted. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Makes `folder` read-only even for root (chattr +i when running as root, chmod otherwise); returns the undo,
 * or undefined where this machine cannot do it.
 */
export async function makeReadOnly(folder: string): Promise<(() => Promise<void>) | undefined> {
  if (process.getuid?.() !== 0) {
    await chmod(folder, 0o555);
    return () => chmod(folder, 0o755);
  }
  try {
    execFileSync('chattr', ['+i', folder], { stdio: 'ignore' });
    return async () => void execFileSync('chattr', ['-i', folder], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
}

/** `count` photos in in/sub and an output folder whose out/sub, where their outputs go, links to another folder,
 * so one disk can fill alone: a tiny disk under that folder (`full: 'photos'`) or under out, where the journal
 * is (`full: 'journal'`). Undefined where no tmpfs can be mounted (not root). */
export async function albumOnTwoDisks(count: number, full: 'photos' | 'journal') {
  const folder = await tempFolder();
  const input = join(folder, 'in');
  await makePhotos(join(input, 'sub'), count);
  const out = join(folder, 'out');
  const photos = join(folder, full === 'photos' ? 'disk' : 'spill');
  await mkdir(out);
  await mkdir(photos);
  const unmount = tinyDisk(full === 'photos' ? photos : out);
  if (!unmount) return undefined;
  await symlink(photos, join(out, 'sub')).catch((error: unknown) => {
    unmount();
    throw error;
  });
  return { input, out, photos, unmount };
}

/** Fills `folder`'s disk to the last page. Synchronous, so called from a batch event it is done before the
 * batch's next write. */
export function fillDisk(folder: string): void {
  try {
    writeFileSync(join(folder, 'filler'), new Uint8Array(1 << 20));
  } catch {
    // ENOSPC: full, as wanted
  }
}

/** The rows of a CSV report as records by header; csv-parse throws on a row whose cell count differs from the
 * header's, so a malformed report fails the test. */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** One engine on the fixture model for a test file (closed after it), and batches run on it. */
export function fixtureBatches() {
  const engine = new InferenceEngine();
  afterAll(() => engine.close());
  async function runBatch(
    request: Omit<BatchRequest, 'modelDir'>,
    listen?: (e: BatchEvent, j: BatchJob) => void,
  ) {
    const plan = await planBatch({ modelDir: FIXTURE_DIR, ...request });
    const job: BatchJob = new BatchJob(engine, plan, (event) => listen?.(event, job));
    return { plan, job, summary: await job.run() };
  }
  return { engine, runBatch };
}

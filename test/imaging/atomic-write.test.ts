import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempStem, writeFileAtomic } from '../../src-main/imaging/atomic-write';
import { decodePhoto } from '../../src-main/imaging/decode';
import { ImageError } from '../../src-main/imaging/errors';
import { savePhoto } from '../../src-main/imaging/save';
import { makePhoto, tempFolder, tinyDisk } from './helpers';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeFileAtomic', () => {
  it('writes or replaces the file and leaves no temp file behind', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'out.png');
    await writeFileAtomic(target, bytes('first'));
    await writeFileAtomic(target, bytes('second'));
    expect(await readFile(target, 'utf8')).toBe('second');
    expect(await readdir(folder)).toEqual(['out.png']);
  });

  it('writes names up to the 255-byte limit (its temp file name is cut, whole characters only)', async () => {
    const folder = await tempFolder();
    for (const name of [`${'a'.repeat(251)}.png`, `${'é'.repeat(125)}.png`]) {
      expect(Buffer.byteLength(name)).toBeGreaterThan(250);
      await writeFileAtomic(join(folder, name), bytes('x'));
      expect(await readFile(join(folder, name), 'utf8')).toBe('x');
    }
    expect(tempStem('é'.repeat(125))).toBe('é'.repeat(100));
    expect(tempStem('short.png')).toBe('short.png');
  });

  it('never overwrites a protected path, however it is spelled', async () => {
    const folder = await tempFolder();
    const original = join(folder, 'photo.jpg');
    await writeFile(original, 'original bytes');
    await symlink(original, join(folder, 'link.jpg'));
    for (const target of [original, join(folder, 'sub', '..', 'photo.jpg'), join(folder, 'link.jpg')]) {
      const error = await writeFileAtomic(target, bytes('x'), { protect: [original] }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImageError);
      expect(error).toMatchObject({ code: 'protected' });
    }
    expect(await readFile(original, 'utf8')).toBe('original bytes');
    expect((await readdir(folder)).sort()).toEqual(['link.jpg', 'photo.jpg']);
  });

  it('noClobber refuses an existing file', async () => {
    const target = join(await tempFolder(), 'out.png');
    await writeFile(target, 'old');
    await expect(writeFileAtomic(target, bytes('new'), { noClobber: true })).rejects.toMatchObject({
      code: 'write-failed',
    });
    expect(await readFile(target, 'utf8')).toBe('old');
  });

  it('noClobber never replaces a file made after its check: of two writers at once, one is refused', async () => {
    const folder = await tempFolder();
    const target = join(folder, 'out.png');
    const results = await Promise.allSettled(
      ['first', 'second'].map((text) => writeFileAtomic(target, bytes(text), { noClobber: true })),
    );
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ImageError] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'write-failed', path: target });
    expect(refused[0]!.message).toMatch(/already exists/);
    expect(await readFile(target, 'utf8')).toBe(results[0]!.status === 'fulfilled' ? 'first' : 'second');
    expect(await readdir(folder)).toEqual(['out.png']);
  });

  it('cleans its temp file when the final rename fails', async () => {
    const folder = await tempFolder();
    await mkdir(join(folder, 'taken.png'));
    await writeFile(join(folder, 'taken.png', 'inside'), 'x');
    const error = await writeFileAtomic(join(folder, 'taken.png'), bytes('data')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'write-failed' });
    expect(await readdir(folder)).toEqual(['taken.png']);
  });

  it('a missing folder is a clear write error', async () => {
    const target = join(await tempFolder(), 'no', 'such', 'out.png');
    await expect(writeFileAtomic(target, bytes('data'))).rejects.toMatchObject({ code: 'write-failed' });
  });

  it('a full disk gives disk-full and leaves no partial file', async (context) => {
    const folder = await tempFolder();
    const unmount = tinyDisk(folder);
    if (!unmount) return context.skip('cannot mount a tmpfs here (needs root)');
    try {
      await writeFileAtomic(join(folder, 'small.bin'), new Uint8Array(1024));
      const error = await writeFileAtomic(join(folder, 'big.bin'), new Uint8Array(1 << 20)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImageError);
      expect(error).toMatchObject({ code: 'disk-full' });
      expect((error as Error).message).toMatch(/not enough disk space/);
      expect(await readdir(folder)).toEqual(['small.bin']);
    } finally {
      unmount();
    }
  });
});

describe('savePhoto', () => {
  it('writes the restored photo next to the original and refuses to replace the original', async () => {
    const folder = await tempFolder();
    const original = await makePhoto(folder, 'photo.jpg', { exif: true });
    const before = await readFile(original);
    const photo = await decodePhoto(original);
    const warnings = await savePhoto(join(folder, 'photo.deblurred.jpg'), photo, {
      format: 'jpeg',
      original,
    });
    expect(warnings).toEqual([]);
    expect((await decodePhoto(join(folder, 'photo.deblurred.jpg'))).width).toBe(48);
    await expect(savePhoto(original, photo, { format: 'jpeg', original })).rejects.toMatchObject({
      code: 'protected',
    });
    expect((await readFile(original)).equals(before)).toBe(true);
  });
});

// Export through the ipc dispatch: the save dialog's suggestion, 16-bit PNG from a 16-bit photo (exactly the
// cached result's pixels), JPEG quality, all metadata or the colour profile only, and never over the original.
import { existsSync } from 'node:fs';
import { link, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type ExportResult, type PhotoInfo } from '../../src-main/contract';
import { decodePhoto } from '../../src-main/imaging';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { ok, testStudio } from './helpers';

const { cacheDir, call, open, saveAnswers, studio, suggested } = testStudio();

async function restored(name: string, spec: Parameters<typeof makePhoto>[2] = {}) {
  const folder = await tempFolder();
  const path = await makePhoto(folder, name, { width: 96, height: 72, ...spec });
  const info = await open(path);
  ok(await call(CHANNELS.restore, { jobId: `job-${info.id}`, photoId: info.id, device: 'cpu' }));
  return { folder, path, info };
}

async function exportAs(info: PhotoInfo, answer: string | undefined, options: Record<string, unknown>) {
  // Replaces any answer left by a request refused before its dialog.
  saveAnswers.splice(0, saveAnswers.length, answer);
  return call(CHANNELS.exportPhoto, { photoId: info.id, metadata: 'all', ...options });
}

describe('export', () => {
  it('writes 16-bit PNG from a 16-bit photo with exactly the restored pixels; 8-bit on request and for JPEG', async () => {
    const { folder, info } = await restored('deep.png', { depth: 16, icc: 'p3' });
    const target = join(folder, 'deep-deblurred.png');
    const result = ok<ExportResult>(await exportAs(info, target, { format: 'png' }));
    expect(suggested.at(-1)).toBe(target);
    expect(result).toEqual({ path: target, warnings: [] });
    expect(await sharp(target).metadata()).toMatchObject({ format: 'png', depth: 'ushort' });
    // The studio keeps the full result losslessly at the photo's depth.
    const cached = join(cacheDir, info.id, `job-${info.id}`, 'restored.png');
    expect(await sharp(cached).metadata()).toMatchObject({ format: 'png', depth: 'ushort' });
    expect((await decodePhoto(target)).data).toEqual((await decodePhoto(cached)).data);

    const eight = join(folder, 'eight');
    const as8 = ok<ExportResult>(await exportAs(info, eight, { format: 'png', bitDepth: 8 }));
    expect(as8.path).toBe(`${eight}.png`);
    expect((await sharp(as8.path!).metadata()).depth).toBe('uchar');
    // 16-bit asked of JPEG: written as 8-bit, and said so.
    const jpeg = ok<ExportResult>(
      await exportAs(info, join(folder, 'j.jpg'), { format: 'jpeg', bitDepth: 16 }),
    );
    expect(jpeg.warnings).toEqual(['JPEG cannot hold 16-bit pixels: written as 8-bit']);
  });

  it('exports the newest result when a run finishes while the save dialog is open', async () => {
    const { folder, info } = await restored('rerun.png');
    let answer!: (path: string) => void;
    saveAnswers.splice(0, saveAnswers.length, new Promise<string>((resolve) => (answer = resolve)));
    const exporting = call(CHANNELS.exportPhoto, { photoId: info.id, metadata: 'all', format: 'png' });
    const rerun = { jobId: `rerun-${info.id}`, photoId: info.id, device: 'cpu', strength: 0.5 };
    ok(await call(CHANNELS.restore, rerun)); // removes the first result's folder
    expect(existsSync(join(cacheDir, info.id, `job-${info.id}`))).toBe(false);
    const target = join(folder, 'rerun-out.png');
    answer(target);
    expect(ok<ExportResult>(await exporting).path).toBe(target);
    const cached = join(cacheDir, info.id, rerun.jobId, 'restored.png');
    expect((await decodePhoto(target)).data).toEqual((await decodePhoto(cached)).data);
  });

  it('suggests <name>-deblurred.<ext> for the format and honours JPEG quality', async () => {
    const { folder, info } = await restored('street.png');
    expect(ok(await exportAs(info, undefined, { format: 'jpeg' }))).toEqual({
      path: undefined,
      warnings: [],
    });
    expect(suggested.at(-1)).toBe(join(folder, 'street-deblurred.jpg'));
    const low = join(folder, 'low.jpg');
    const high = join(folder, 'high.jpeg');
    ok(await exportAs(info, low, { format: 'jpeg', quality: 20 }));
    ok(await exportAs(info, high, { format: 'jpeg', quality: 98 }));
    expect((await sharp(low).metadata()).format).toBe('jpeg');
    expect((await stat(low)).size).toBeLessThan((await stat(high)).size);
    expect(await exportAs(info, join(folder, 'x.png'), { format: 'jpeg' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/x\.png ends in \.png/) },
    });
  });

  it("'all' carries EXIF (GPS too), XMP and ICC; 'profile' keeps only the ICC profile", async () => {
    const { folder, path, info } = await restored('trip.jpg', { exif: true, xmp: true, icc: 'p3' });
    const source = await sharp(path).metadata();
    // A JPEG's result is cached as PNG (so export encodes once), and shown as that PNG.
    expect((await studio.image('result', info.id)).mime).toBe('image/png');
    const all = join(folder, 'all.jpg');
    ok(await exportAs(info, all, { format: 'jpeg' }));
    const allMeta = await sharp(all).metadata();
    expect(exifReader(allMeta.exif!).GPSInfo).toMatchObject({ GPSLatitudeRef: 'N' });
    expect(allMeta.xmp).toBeDefined();
    expect(allMeta.icc?.equals(source.icc!)).toBe(true);

    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const target = join(folder, `profile.${format === 'jpeg' ? 'jpg' : format}`);
      ok(await exportAs(info, target, { format, metadata: 'profile' }));
      const meta = await sharp(target).metadata();
      expect(meta.icc?.equals(source.icc!)).toBe(true);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });

  it('refuses the original and links to it, and a photo not restored yet', async () => {
    const { folder, path, info } = await restored('keep.png');
    const before = await stat(path);
    expect(await exportAs(info, path, { format: 'png' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'refusing to overwrite the original photo' },
    });
    const alias = join(folder, 'alias.png');
    await link(path, alias);
    expect(await exportAs(info, alias, { format: 'png' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);

    const fresh = await open(await makePhoto(folder, 'fresh.png'));
    expect(await exportAs(fresh, join(folder, 'f.png'), { format: 'png' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'fresh.png has not been restored yet' },
    });
    expect(existsSync(join(folder, 'f.png'))).toBe(false);
  });

  it('never replaces a file the dialog did not ask about: a name typed without its extension', async () => {
    const { folder, info } = await restored('a.png');
    const other = join(folder, 'b.png');
    await writeFile(other, 'not this photo');
    expect(await exportAs(info, join(folder, 'b'), { format: 'png' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/^b\.png already exists/) },
    });
    expect(await readFile(other, 'utf8')).toBe('not this photo');
    // Chosen by its full name, the dialog asked: it is replaced.
    expect(ok<ExportResult>(await exportAs(info, other, { format: 'png' })).path).toBe(other);
    expect((await sharp(other).metadata()).format).toBe('png');
  });
});

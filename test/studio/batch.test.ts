// The app's batch service through the ipc dispatch: folders from the (scripted) dialog, the fixture model.
import { rm, stat, truncate } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type BatchResult } from '../../src-main/contract';
import { tempFolder } from '../imaging/helpers';
import { albumOnTwoDisks, fillDisk, listFiles, makePhotos } from '../jobs/helpers';
import { ok, testStudio } from './helpers';

const t = testStudio();

describe('batch service', () => {
  it('cancels a batch asked to stop while it is still being planned: nothing runs', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    const output = join(folder, 'out');
    await makePhotos(input, 3);
    t.folderAnswers.push(input, output);
    ok(await t.call(CHANNELS.chooseBatchFolder, 'input'));
    ok(await t.call(CHANNELS.chooseBatchFolder, 'output'));
    const started = t.call(CHANNELS.startBatch, { jobId: 'b1' });
    expect(ok(await t.call(CHANNELS.controlBatch, { jobId: 'b1', action: 'pause' }))).toBe(false);
    expect(ok(await t.call(CHANNELS.controlBatch, { jobId: 'b1', action: 'cancel' }))).toBe(true);
    const result = ok<BatchResult>(await started);
    expect(result).toMatchObject({ cancelled: true, counts: { total: 3, done: 0, notRun: 3 } });
    expect((await listFiles(output)).filter((f) => f.includes('-deblurred'))).toEqual([]);
  });

  it('names photos it could not restore by their path in the album: sub-folders may hold photos of the same name', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    const output = join(folder, 'out');
    for (const month of ['2024-01', '2024-02']) {
      const [name] = await makePhotos(join(input, month), 1);
      const path = join(input, month, name!);
      await truncate(path, (await stat(path)).size >> 1); // damaged: skipped
    }
    t.folderAnswers.push(input, output);
    ok(await t.call(CHANNELS.chooseBatchFolder, 'input'));
    ok(await t.call(CHANNELS.chooseBatchFolder, 'output'));
    const result = ok<BatchResult>(await t.call(CHANNELS.startBatch, { jobId: 'b2', recursive: true }));
    const names = ['2024-01/p000.jpg', '2024-02/p000.jpg'].map((name) => join(...name.split('/')));
    expect(result.skips.map((skip) => skip.name).sort()).toEqual(names);
    expect(result.skips[0]!.reason).toMatch(/damaged or truncated/);
  });

  it('writes the output format, bit depth and strength the panel asked for', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    const output = join(folder, 'out');
    await makePhotos(input, 2);
    t.folderAnswers.push(input, output);
    ok(await t.call(CHANNELS.chooseBatchFolder, 'input'));
    ok(await t.call(CHANNELS.chooseBatchFolder, 'output'));
    // Strength 0 hands back the input itself: the originals' pixels, widened to 16 bits.
    const request = { jobId: 'b4', format: 'png', bitDepth: 16, strength: 0, threshold: 0.3 };
    expect(ok<BatchResult>(await t.call(CHANNELS.startBatch, request)).counts.done).toBe(2);
    const outputs = (await listFiles(output)).filter((f) => f.includes('-deblurred'));
    expect(outputs.map((f) => basename(f)).sort()).toEqual(['p000-deblurred.png', 'p001-deblurred.png']);
    for (const file of outputs) {
      expect(await sharp(file).metadata()).toMatchObject({ format: 'png', depth: 'ushort' });
      const original = await sharp(join(input, basename(file).replace('-deblurred.png', '.jpg')))
        .raw()
        .toBuffer();
      const written = await sharp(file).toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer();
      const wide = new Uint16Array(written.buffer, written.byteOffset, written.length / 2);
      expect(wide.length).toBe(original.length);
      expect(wide.every((v, i) => v === original[i]! * 257)).toBe(true);
    }
  });

  it('names photos restored again because their sidecar mask was repainted since the last run', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    const output = join(folder, 'out');
    const [, second] = await makePhotos(input, 2);
    const mask = (value: number) =>
      sharp(Buffer.alloc(128 * 96, value), { raw: { width: 128, height: 96, channels: 1 } })
        .png()
        .toFile(join(input, `${second!}.mask.png`));
    await mask(255);
    t.folderAnswers.push(input, output);
    ok(await t.call(CHANNELS.chooseBatchFolder, 'input'));
    ok(await t.call(CHANNELS.chooseBatchFolder, 'output'));
    const once = ok<BatchResult>(await t.call(CHANNELS.startBatch, { jobId: 'b4' }));
    expect(once).toMatchObject({ counts: { done: 2, resumed: 0 }, redone: [] });
    await mask(0); // protect everything now
    const again = ok<BatchResult>(await t.call(CHANNELS.startBatch, { jobId: 'b5' }));
    expect(again.counts).toMatchObject({ done: 1, resumed: 1 });
    expect(again.redone).toEqual([
      { name: second, reason: 'redone: made before with other settings (mask)' },
    ]);
  });

  it('answers a batch stopped by a full output disk with its summary and why, not a failed call; run again, it resumes', async (context) => {
    const album = await albumOnTwoDisks(3, 'photos');
    if (!album) return context.skip('cannot mount a tmpfs here (needs root)');
    const { input, out: output, photos: disk, unmount } = album;
    try {
      // The photos go to out/sub, a link to the tiny disk, full before the batch starts; the journal has room.
      fillDisk(disk);
      t.folderAnswers.push(input, output);
      ok(await t.call(CHANNELS.chooseBatchFolder, 'input'));
      ok(await t.call(CHANNELS.chooseBatchFolder, 'output'));
      const start = () => t.call(CHANNELS.startBatch, { jobId: 'b3', recursive: true });
      const stopped = ok<BatchResult>(await start());
      expect(stopped).toMatchObject({ cancelled: false, failures: [], outputFolder: output });
      expect(stopped.counts).toMatchObject({ total: 3, done: 0, failed: 0, notRun: 3 });
      expect(stopped.stopped).toMatch(/p000-deblurred\.jpg: the disk of the output photos is full/);
      expect(stopped.stopped).toMatch(
        /once there is free space on that disk, .* again resumes where it stopped/,
      );
      expect(stopped.stopped).not.toMatch(/command/); // the app has none: the panel says how it resumes
      expect(stopped.report?.json).toMatch(/\.json$/);

      await rm(join(disk, 'filler'));
      const again = ok<BatchResult>(await start());
      expect(again.stopped).toBeUndefined();
      expect(again.counts).toMatchObject({ total: 3, done: 3, failed: 0, notRun: 0 });
    } finally {
      unmount();
    }
  });
});

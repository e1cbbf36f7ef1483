// Planning a batch against an earlier run's journal and against originals under other names: real files, no
// model run.
import { mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchUsageError, JOURNAL_NAME, planBatch, type BatchRequest } from '../../src-main/jobs';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import { checksums, makePhotos } from './helpers';

const plan = (request: Omit<BatchRequest, 'modelDir'>) => planBatch({ modelDir: FIXTURE_DIR, ...request });

async function writeJournal(out: string, records: object[]) {
  await mkdir(out, { recursive: true });
  await writeFile(join(out, JOURNAL_NAME), records.map((r) => JSON.stringify(r) + '\n').join(''));
}

describe('batch planning', () => {
  it('skips a camera raw file next to its JPEG saying what to do, and other files as not photos', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 1);
    await writeFile(join(input, 'p000.NEF'), 'raw sensor data');
    await writeFile(join(input, 'notes.txt'), 'shot list');
    const planned = await plan({ inputs: [input], output: join(folder, 'out') });
    expect(planned.photos.map((p) => p.input)).toEqual([join(input, 'p000.jpg')]);
    expect(planned.skipped).toEqual([
      { input: join(input, 'notes.txt'), reason: 'not a photo (JPEG, PNG, TIFF, WebP or AVIF)' },
      {
        input: join(input, 'p000.NEF'),
        reason:
          'camera raw files are not supported: export the photo from your raw developer as TIFF (16-bit), PNG or JPEG first',
      },
    ]);
  });

  it("reuses an earlier run's output only inside this output folder and in this run's format", async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 2);
    const out = join(folder, 'out');
    // The folder was moved (its journal names the old place), and the run was killed while p001 was planned.
    await writeJournal(out, [
      { t: 'planned', input: join(input, 'p000.jpg'), output: join(folder, 'old', 'p000-deblurred.jpg') },
      { t: 'planned', input: join(input, 'p001.jpg'), output: join(out, 'p001-deblurred.jpg') },
    ]);
    const again = await plan({ inputs: [input], output: out });
    expect(again.photos.map((p) => p.output)).toEqual([
      join(out, 'p000-deblurred.jpg'),
      join(out, 'p001-deblurred.jpg'),
    ]);
    const png = await plan({ inputs: [input], output: out, format: 'png' });
    expect(png.photos.map((p) => [p.output, p.format])).toEqual([
      [join(out, 'p000-deblurred.png'), 'png'],
      [join(out, 'p001-deblurred.png'), 'png'],
    ]);
  });

  it('never gives two photos one output, whatever the journal says', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await mkdir(input);
    const jpg = await makePhoto(input, 'IMG.jpg');
    const tif = await makePhoto(input, 'IMG.tif');
    const out = join(folder, 'out');
    const done = join(out, 'IMG-deblurred.png');
    await mkdir(out);
    await makePhoto(out, 'IMG-deblurred.png');
    const bytes = (await stat(done)).size;
    // An earlier run restored only IMG.tif to PNG; now the folder, which also holds IMG.jpg, runs to PNG.
    const record = {
      t: 'done',
      input: tif,
      output: done,
      sha256: '0',
      bytes,
      keptRatio: 0,
      meanConfidence: 0,
    };
    await writeJournal(out, [record]);
    const both = await plan({ inputs: [input], output: out, format: 'png' });
    expect(both.resumed.map((p) => [p.input, p.output])).toEqual([[tif, done]]);
    expect(both.photos.map((p) => [p.input, p.output])).toEqual([[jpg, join(out, 'IMG-deblurred-2.png')]]);
    // Both only planned (killed before either finished): still one file each.
    await writeJournal(out, [
      { t: 'planned', input: jpg, output: done },
      { t: 'planned', input: tif, output: done },
    ]);
    const planned = await plan({ inputs: [input], output: out, format: 'png' });
    expect(planned.photos.map((p) => p.output)).toEqual([done, join(out, 'IMG-deblurred-2.png')]);
  });

  it('knows an original by its identity, not only by how its path is spelled', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 1);
    await makePhoto(input, 'p000-deblurred.jpg'); // an original that happens to have the output's name
    const before = await checksums(input);
    const link = join(folder, 'link-to-in');
    await symlink(input, link);
    const request = { inputs: [input], output: link };
    await expect(plan({ ...request, onExisting: 'overwrite-outputs' })).rejects.toBeInstanceOf(
      BatchUsageError,
    );
    await expect(plan({ ...request, name: '{name}' })).rejects.toThrow(/would overwrite this original/);
    const skip = await plan(request);
    expect(skip.skipped[0]?.reason).toMatch(/output exists/);
    expect(await checksums(input)).toEqual(before);
  });

  it("leaves another album's output of the same name alone: skipped, or renamed with --on-existing rename", async () => {
    const folder = await tempFolder();
    const trip1 = join(folder, 'trip1');
    const trip2 = join(folder, 'trip2');
    const out = join(folder, 'out');
    await mkdir(trip1);
    await mkdir(trip2);
    const first = await makePhoto(trip1, 'IMG_0001.jpg');
    const second = await makePhoto(trip2, 'IMG_0001.jpg');
    await mkdir(out);
    const output = await makePhoto(out, 'IMG_0001-deblurred.jpg');
    const bytes = (await stat(output)).size;
    // trip1 went to out first; now trip2, whose camera numbered its photos the same way, goes there too.
    await writeJournal(out, [
      { t: 'planned', input: first, output },
      { t: 'done', input: first, output, sha256: '0', bytes, keptRatio: 0, meanConfidence: 0 },
    ]);
    const skip = await plan({ inputs: [trip2], output: out });
    expect(skip.photos).toEqual([]);
    expect(skip.skipped).toEqual([{ input: second, reason: expect.stringMatching(/output exists/) }]);
    const renamed = await plan({ inputs: [trip2], output: out, onExisting: 'rename' });
    expect(renamed.photos.map((p) => p.output)).toEqual([join(out, 'IMG_0001-deblurred-2.jpg')]);
    // trip1's own earlier output is still its own to resume.
    expect((await plan({ inputs: [trip1], output: out })).resumed.map((p) => p.output)).toEqual([output]);
  });

  it('gives names differing only in case two outputs, as macOS and Windows would see one file', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await mkdir(input);
    const upper = await makePhoto(input, 'IMG_1.jpg');
    const lower = await makePhoto(input, 'img_1.jpg');
    const out = join(folder, 'out');
    const planned = await plan({ inputs: [input], output: out });
    expect(planned.photos.map((p) => [p.input, p.output])).toEqual([
      [upper, join(out, 'IMG_1-deblurred.jpg')],
      [lower, join(out, 'img_1-deblurred-2.jpg')],
    ]);
  });
});

// Resuming a batch after an interruption on real files: what an earlier run left behind (temp files, planned
// outputs) is cleaned up or reused, and nothing that is not the batch's own is touched.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchJob } from '../../src-main/jobs';
import { REPORT_CSV, REPORT_JSON, planBatch, type BatchEvent, type BatchRequest } from '../../src-main/jobs';
import { readJournal } from '../../src-main/jobs/journal';
import { makePhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import sharp from 'sharp';
import { checksums, fixtureBatches, listFiles, makeReadOnly, readCsv } from './helpers';

const { runBatch } = fixtureBatches();

/** Cancels as soon as the first photo is in the worker (its first tile done): planned, nothing written. */
const cancelInWorker = (event: BatchEvent, job: BatchJob) => {
  if (event.type === 'progress' && event.tiles) job.cancel();
};

/** p000.jpg of 8 tiles (a cancel after its first lands between two), p001.jpg of one. */
async function album(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  await makePhoto(folder, 'p000.jpg', { width: 640, height: 384 });
  await makePhoto(folder, 'p001.jpg', { width: 128, height: 96 });
  return folder;
}

describe('batch resume', () => {
  it('removes temp files of an interrupted write under an earlier --format, and keeps any it did not plan', async () => {
    const folder = await tempFolder();
    const input = await album(join(folder, 'in'));
    const originals = await checksums(input);
    const out = join(folder, 'out');
    const first = await runBatch({ inputs: [input], output: out, format: 'jpeg' }, cancelInWorker);
    expect(first.summary).toMatchObject({ cancelled: true, counts: { done: 0 } });
    // As a kill mid-write would leave it: the journal names the output, a cut-off JPEG is in its temp file.
    const { named } = await readJournal(first.plan.journalPath);
    expect([...named]).toEqual([join(out, 'p000-deblurred.jpg')]);
    const half = (await readFile(join(input, 'p000.jpg'))).subarray(0, 2000);
    const stale = join(out, '.p000-deblurred.jpg.0123456789ab.tmp');
    await writeFile(stale, half);
    // Temp-named files for outputs no batch here planned are not ours to remove.
    const foreign = [
      join(out, '.p001-deblurred.tif.0123456789ab.tmp'),
      join(out, '.p000.jpg.0123456789ab.tmp'),
    ];
    for (const path of foreign) await writeFile(path, half);

    const second = await runBatch({ inputs: [input], output: out, format: 'png' });
    expect(second.summary.counts).toMatchObject({ done: 2, failed: 0 });
    expect(second.job.staleTempsRemoved).toBe(1);
    expect(existsSync(stale)).toBe(false);
    for (const path of foreign) expect(existsSync(path)).toBe(true);
    const names = (await listFiles(out)).map((file) => file.slice(out.length + 1));
    expect(names.filter((name) => !name.includes('deblur-batch'))).toEqual([
      '.p000.jpg.0123456789ab.tmp',
      '.p001-deblurred.tif.0123456789ab.tmp',
      'p000-deblurred.png',
      'p001-deblurred.png',
    ]);
    expect(await checksums(input)).toEqual(originals);
  }, 240_000);

  it('a photo cancelled in the worker wrote nothing: a file made at its output afterwards is not replaced', async () => {
    const folder = await tempFolder();
    const input = await album(join(folder, 'in'));
    const out = join(folder, 'out');
    const first = await runBatch({ inputs: [input], output: out }, cancelInWorker);
    expect(first.summary).toMatchObject({ cancelled: true, counts: { done: 0, notRun: 2 } });
    // Then a single-photo export (another strength, say) lands at the name the batch would have used.
    const exported = await makePhoto(out, 'p000-deblurred.jpg', { width: 64, height: 48 });
    const before = await readFile(exported);

    const again = await runBatch({ inputs: [input], output: out });
    expect(again.summary.counts).toMatchObject({ done: 1, skipped: 1, failed: 0 });
    expect(again.summary.skips).toEqual([
      { input: join(input, 'p000.jpg'), reason: expect.stringMatching(/output exists/) },
    ]);
    expect(await readFile(exported)).toEqual(before);
    // Asked to, it goes next to it.
    const renamed = await runBatch({ inputs: [input], output: out, onExisting: 'rename' });
    expect(renamed.summary.counts).toMatchObject({ done: 1, resumed: 1 });
    expect(renamed.plan.photos.map((p) => p.output)).toEqual([join(out, 'p000-deblurred-2.jpg')]);
    expect(await readFile(exported)).toEqual(before);
  }, 240_000);

  it('a stale temp file in an output folder now read-only fails only the photos bound there', async (context) => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await mkdir(join(input, 'trip'), { recursive: true });
    await makePhoto(input, 'a.jpg');
    await makePhoto(join(input, 'trip'), 'c.jpg');
    const out = join(folder, 'out');
    await mkdir(join(out, 'trip'), { recursive: true });
    const stale = join(out, 'trip', '.c-deblurred.jpg.0123456789ab.tmp');
    await writeFile(stale, 'half a photo');
    const undo = await makeReadOnly(join(out, 'trip'));
    if (!undo) return context.skip('cannot make a folder read-only here');
    try {
      const { job, summary } = await runBatch({ inputs: [input], output: out, recursive: true });
      expect(summary.counts).toMatchObject({ done: 1, failed: 1 });
      expect(summary.failures[0]?.reason).toMatch(/could not be written/);
      expect(job.staleTempsRemoved).toBe(0);
      expect(existsSync(stale)).toBe(true);
    } finally {
      await undo();
    }
    const again = await runBatch({ inputs: [input], output: out, recursive: true });
    expect(again.summary.counts).toMatchObject({ resumed: 1, done: 1, failed: 0 });
    expect(again.job.staleTempsRemoved).toBe(1);
    expect(existsSync(stale)).toBe(false);
  }, 240_000);

  it('removes temp files of report writes a killed run left', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await mkdir(input);
    await makePhoto(input, 'a.jpg');
    const out = join(folder, 'out');
    await mkdir(out);
    const stale = [REPORT_JSON, REPORT_CSV].map((name) => join(out, `.${name}.0123456789ab.tmp`));
    for (const path of stale) await writeFile(path, '{"counts":');
    const { job, summary } = await runBatch({ inputs: [input], output: out });
    expect(summary.counts).toMatchObject({ done: 1, failed: 0 });
    expect(job.staleTempsRemoved).toBe(2);
    for (const path of stale) expect(existsSync(path)).toBe(false);
    expect(JSON.parse(await readFile(join(out, REPORT_JSON), 'utf8')).counts.done).toBe(1);
  }, 240_000);
});

describe('batch resume with other settings', () => {
  /** a.jpg, and b.png with a sidecar mask that protects its left half. */
  async function masked(folder: string) {
    await mkdir(folder, { recursive: true });
    const a = await makePhoto(folder, 'a.jpg', { width: 128, height: 96 });
    const b = await makePhoto(folder, 'b.png', { width: 128, height: 96 });
    await paintMask(`${b}.mask.png`, 64);
    return { a, b };
  }
  /** A mask that protects the columns left of `edge` (0) and lets the model work right of it (255). */
  async function paintMask(path: string, edge: number) {
    const mask = Buffer.alloc(128 * 96);
    for (let i = 0; i < mask.length; i++) mask[i] = i % 128 < edge ? 0 : 255;
    await sharp(mask, { raw: { width: 128, height: 96, channels: 1 } })
      .png()
      .toFile(path);
  }
  const done = async (out: string) =>
    [...(await readJournal(join(out, '.deblur-batch.journal.jsonl'))).last.values()].filter(
      (record) => record.t === 'done',
    );

  it('redoes outputs made with another strength into the same files, and says so', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await masked(input);
    const originals = await checksums(input);
    const out = join(folder, 'out');
    await runBatch({ inputs: [input], output: out, strength: 0.3 });
    const before = await checksums(out);
    const same = await runBatch({ inputs: [input], output: out, strength: 0.3 });
    expect(same.summary.counts).toMatchObject({ done: 0, resumed: 2 });

    const stronger = await runBatch({ inputs: [input], output: out, strength: 1 });
    expect(stronger.summary.counts).toMatchObject({ done: 2, resumed: 0, failed: 0 });
    expect(stronger.summary.redone).toEqual([
      { input: join(input, 'a.jpg'), reason: 'redone: made before with other settings (strength)' },
      { input: join(input, 'b.png'), reason: 'redone: made before with other settings (strength)' },
    ]);
    const rows = await readCsv(join(out, REPORT_CSV));
    expect(rows.map((row) => [row.status, row.reason])).toEqual([
      ['done', 'redone: made before with other settings (strength)'],
      ['done', 'redone: made before with other settings (strength)'],
    ]);
    // The same files (no -2), now holding the stronger restoration.
    const after = await checksums(out);
    for (const name of ['a-deblurred.jpg', 'b-deblurred.png']) {
      expect(after[name]).toBeDefined();
      expect(after[name]).not.toBe(before[name]);
    }
    expect(Object.keys(after).filter((name) => !name.includes('deblur-batch'))).toHaveLength(2);
    expect((await done(out)).map((record) => record.t === 'done' && record.settings?.strength)).toEqual([
      1, 1,
    ]);
    // Run again as it is now: nothing to redo, and no strength given is the default 1.
    const again = await runBatch({ inputs: [input], output: out });
    expect(again.summary.counts).toMatchObject({ done: 0, resumed: 2 });
    expect(again.summary.redone).toEqual([]);
    expect(await checksums(input)).toEqual(originals);
  }, 240_000);

  it('redoes a photo whose sidecar mask was repainted since, and only that one', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    const { b } = await masked(input);
    const out = join(folder, 'out');
    await runBatch({ inputs: [input], output: out });
    const before = await checksums(out);
    await paintMask(`${b}.mask.png`, 16);
    const again = await runBatch({ inputs: [input], output: out });
    expect(again.summary.counts).toMatchObject({ done: 1, resumed: 1 });
    expect(again.summary.redone).toEqual([
      { input: b, reason: 'redone: made before with other settings (mask)' },
    ]);
    const after = await checksums(out);
    expect(after['a-deblurred.jpg']).toBe(before['a-deblurred.jpg']);
    expect(after['b-deblurred.png']).not.toBe(before['b-deblurred.png']);
  }, 240_000);

  it('compares model, threshold, tile and the format options that apply; a journal of an older version resumes', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await masked(input);
    const out = join(folder, 'out');
    await runBatch({ inputs: [input], output: out });
    const plan = async (
      request: Omit<BatchRequest, 'modelDir' | 'inputs' | 'output'> & { modelDir?: string },
    ) => {
      const planned = await planBatch({ modelDir: FIXTURE_DIR, inputs: [input], output: out, ...request });
      return {
        redone: planned.photos.map((photo) => [photo.input.slice(input.length + 1), photo.redo]),
        resumed: planned.resumed.length,
      };
    };
    const redone = (what: string) => `redone: made before with other settings (${what})`;
    expect(await plan({ threshold: 0.9 })).toEqual({
      redone: [
        ['a.jpg', redone('threshold')],
        ['b.png', redone('threshold')],
      ],
      resumed: 0,
    });
    expect(await plan({ tile: 128 })).toEqual({
      redone: [
        ['a.jpg', redone('tile')],
        ['b.png', redone('tile')],
      ],
      resumed: 0,
    });
    // Quality changes the JPEG only; 16 bits the PNG only (a JPEG holds 8).
    expect(await plan({ quality: 50, bitDepth: 16 })).toEqual({
      redone: [
        ['a.jpg', redone('quality')],
        ['b.png', redone('bit depth')],
      ],
      resumed: 0,
    });
    // A bit depth asked for that is the photo's own (8) is no change.
    expect(await plan({ bitDepth: 8 })).toEqual({ redone: [], resumed: 2 });
    // The defaults spelled out, and the same model in another folder, are the same settings.
    const copy = join(folder, 'model-copy');
    await cp(FIXTURE_DIR, copy, { recursive: true });
    expect(await plan({ modelDir: copy, threshold: 0.5, strength: 1, quality: 92 })).toEqual({
      redone: [],
      resumed: 2,
    });
    // Another model (its manifest says another id or other weights) is not.
    const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    await writeFile(join(copy, 'manifest.json'), JSON.stringify({ ...manifest, id: 'other' }));
    expect((await plan({ modelDir: copy })).redone.map(([, why]) => why)).toEqual([
      redone('model'),
      redone('model'),
    ]);
    // A journal written before settings were recorded: its outputs resume whatever the settings now.
    const journal = join(out, '.deblur-batch.journal.jsonl');
    const lines = (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    await writeFile(journal, lines.map(({ settings: _, ...rest }) => `${JSON.stringify(rest)}\n`).join(''));
    expect(await plan({ strength: 0.2 })).toEqual({ redone: [], resumed: 2 });
  }, 240_000);
});

describe('batch resume under another spelling of the output folder', () => {
  it('a run through a link to the output folder, then one naming the folder itself: resumed, not "output exists"', async () => {
    const folder = await tempFolder();
    const input = await album(join(folder, 'in'));
    const out = join(folder, 'out');
    await mkdir(out);
    const link = join(folder, 'link-to-out');
    await symlink(out, link);
    const first = await runBatch({ inputs: [input], output: link });
    expect(first.summary.counts).toMatchObject({ done: 2, skipped: 0 });
    const outputs = async () =>
      Object.entries(await checksums(out)).filter(([name]) => name.includes('-deblurred'));
    const written = await outputs();
    expect(written).toHaveLength(2);
    for (const output of [out, link]) {
      const again = await runBatch({ inputs: [input], output });
      expect(again.summary.counts, output).toMatchObject({ resumed: 2, done: 0, skipped: 0 });
    }
    expect(await outputs()).toEqual(written);
  });
});

describe('batch resume under another spelling of the input folder', () => {
  it('an album named through a link one run and directly the next, and back: resumed, not "output exists"', async () => {
    const folder = await tempFolder();
    const input = await album(join(folder, 'in'));
    const link = join(folder, 'link-to-in');
    await symlink(input, link);
    const out = join(folder, 'out');
    const first = await runBatch({ inputs: [link], output: out });
    expect(first.summary.counts).toMatchObject({ done: 2, skipped: 0 });
    for (const spelling of [input, link]) {
      const again = await runBatch({ inputs: [spelling], output: out });
      expect(again.summary.counts, spelling).toMatchObject({ resumed: 2, done: 0, skipped: 0 });
    }
    // A changed setting redoes each photo once, then either spelling resumes what was redone.
    const stronger = await runBatch({ inputs: [input], output: out, strength: 0.5 });
    expect(stronger.summary.counts).toMatchObject({ done: 2, resumed: 0 });
    const back = await runBatch({ inputs: [link], output: out, strength: 0.5 });
    expect(back.summary.counts).toMatchObject({ resumed: 2, done: 0, skipped: 0 });
  });
});

// The jobs service on real files: an album with nested folders, a sidecar mask and junk, the fixture model.
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  BatchJob,
  BatchUsageError,
  JOURNAL_NAME,
  REPORT_CSV,
  REPORT_JSON,
  planBatch,
  type BatchEvent,
  type BatchRequest,
} from '../../src-main/jobs';
import { loadPhoto } from '../../src-main/jobs/photo-steps';
import { CAN_DENY_READS, asNobody, lockedPhoto, makePhoto, tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import {
  checksums,
  fixtureBatches,
  hugePng,
  listFiles,
  makeAlbum,
  makePhotos,
  makeReadOnly,
  readCsv,
} from './helpers';

const { engine, runBatch } = fixtureBatches();

const outputsOf = async (out: string) =>
  (await listFiles(out)).map((file) => file.slice(out.length + 1)).filter((f) => !/deblur-batch/.test(f));

describe('batch jobs service', () => {
  it('restores an album recursively, mirrors folders, applies masks, skips junk, reports, resumes', async () => {
    const folder = await tempFolder();
    const album = await makeAlbum(join(folder, 'album'));
    const before = await checksums(album.root);
    const out = join(folder, 'out');
    const events: BatchEvent[] = [];
    const { summary } = await runBatch({ inputs: [album.root], output: out, recursive: true }, (e) =>
      events.push(e),
    );
    expect(summary.counts).toMatchObject({ total: 8, done: 4, skipped: 4, failed: 0, resumed: 0, notRun: 0 });
    expect(summary.skips.map((s) => s.input.slice(album.root.length + 1)).sort()).toEqual(
      [...album.junk].sort(),
    );
    expect(summary.skips.find((s) => s.input.endsWith('broken.jpg'))?.reason).toMatch(/damaged or truncated/);
    expect(summary.skips.find((s) => s.input.endsWith('empty.jpg'))?.reason).toMatch(/empty file/);
    expect(await outputsOf(out)).toEqual([
      'a-deblurred.jpg',
      'b-deblurred.png',
      'trip/c-deblurred.jpg',
      'trip/day2/d-deblurred.png',
    ]);
    // Metadata carried over as in single-photo export.
    const exif = exifReader((await sharp(join(out, 'a-deblurred.jpg')).metadata()).exif!);
    expect(exif.Image?.Make).toBe('DeblurCam');
    // The protect-everything sidecar mask was applied: d's pixels come back bit for bit, no window kept.
    const raw = async (path: string) => (await sharp(path).raw().toBuffer()).toString('hex');
    expect(await raw(join(out, 'trip/day2/d-deblurred.png'))).toBe(
      await raw(join(album.root, 'trip/day2/d.png')),
    );
    const d = summary.outcomes.find((o) => o.input.endsWith('d.png'))!;
    expect(d.keptRatio).toBe(0);
    // Ranking: every restored photo, most blur first; progress counted up to the total with an ETA.
    expect(summary.ranking).toHaveLength(4);
    expect(summary.ranking.at(-1)!.input).toMatch(/d\.png$/);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ processed: 6, total: 6, done: 4 });
    expect(progress.some((e) => e.etaSeconds !== undefined && e.etaSeconds > 0)).toBe(true);
    // Report file, journal; originals untouched.
    const report = JSON.parse(await readFile(join(out, REPORT_JSON), 'utf8'));
    expect(report.counts).toEqual(summary.counts);
    expect(existsSync(join(out, JOURNAL_NAME))).toBe(true);
    expect(await checksums(album.root)).toEqual(before);

    // The same batch again: everything resumes, nothing is rewritten.
    const mtime = (await stat(join(out, 'a-deblurred.jpg'))).mtimeMs;
    const again = await runBatch({ inputs: [album.root], output: out, recursive: true });
    expect(again.summary.counts).toMatchObject({ done: 0, resumed: 4, skipped: 4, failed: 0 });
    expect(again.summary.ranking).toHaveLength(4);
    expect((await stat(join(out, 'a-deblurred.jpg'))).mtimeMs).toBe(mtime);
  });

  it('refuses combinations that would overwrite an original', async () => {
    const folder = await tempFolder();
    const album = await makeAlbum(join(folder, 'album'));
    const before = await checksums(album.root);
    const usage = (request: Omit<BatchRequest, 'modelDir'>) =>
      expect(planBatch({ modelDir: FIXTURE_DIR, ...request })).rejects.toBeInstanceOf(BatchUsageError);
    await usage({ inputs: [album.root], output: album.root, name: '{name}' });
    await usage({ inputs: [join(album.root, 'a.jpg')], output: album.root, name: '{name}' });
    await usage({ inputs: [album.root], output: join(folder, 'o'), name: 'fixed' });
    await usage({ inputs: [album.root], output: join(folder, 'o'), name: '../{name}' });
    await usage({ inputs: [album.root], output: album.root, name: '{name}', format: 'jpeg' });
    // overwrite-outputs hitting an input: a.jpg's output name is taken by another original.
    await writeFile(join(album.root, 'a-deblurred.jpg'), await readFile(join(album.root, 'a.jpg')));
    await usage({ inputs: [album.root], output: album.root, onExisting: 'overwrite-outputs' });
    // Without overwrite, the output next to the inputs is skipped (default) or renamed, never replacing it.
    const skip = await planBatch({ modelDir: FIXTURE_DIR, inputs: [album.root], output: album.root });
    expect(skip.skipped.find((s) => s.input.endsWith('/a.jpg'))?.reason).toMatch(/output exists/);
    const renamed = await planBatch({
      modelDir: FIXTURE_DIR,
      inputs: [album.root],
      output: album.root,
      onExisting: 'rename',
    });
    expect(renamed.photos.find((p) => p.input.endsWith('/a.jpg'))?.output).toMatch(/a-deblurred-2\.jpg$/);
    expect(await checksums(album.root)).toMatchObject(before);
  });

  it('never takes its own outputs for inputs when the output folder is, or is inside, the album', async () => {
    const folder = await tempFolder();
    for (const [name, sub] of [
      ['inside', 'deblurred'],
      ['same', ''],
    ] as const) {
      const album = await makeAlbum(join(folder, name));
      const output = join(album.root, sub);
      const first = await runBatch({ inputs: [album.root], output, recursive: true });
      expect(first.summary.counts).toMatchObject({ done: 4, skipped: 4, failed: 0 });
      const again = await runBatch({ inputs: [album.root], output, recursive: true });
      expect(again.summary.counts).toMatchObject({ done: 0, resumed: 4, skipped: 4, failed: 0 });
      const files = (await listFiles(album.root)).filter((f) => f.includes('-deblurred'));
      expect(files).toHaveLength(4);
    }
  });

  it('handles outputs from elsewhere with --on-existing skip, rename and overwrite-outputs', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 1);
    const out = join(folder, 'out');
    await mkdir(out);
    const existing = join(out, 'p000-deblurred.jpg');
    await writeFile(existing, 'not ours');
    const skip = await runBatch({ inputs: [input], output: out });
    expect(skip.summary.counts).toMatchObject({ done: 0, skipped: 1 });
    expect(await readFile(existing, 'utf8')).toBe('not ours');
    const rename = await runBatch({ inputs: [input], output: join(folder, 'out2'), onExisting: 'rename' });
    expect(rename.summary.counts.done).toBe(1);
    const renamedOut = join(folder, 'out3');
    await mkdir(renamedOut);
    await writeFile(join(renamedOut, 'p000-deblurred.jpg'), 'not ours');
    const renamed = await runBatch({ inputs: [input], output: renamedOut, onExisting: 'rename' });
    expect(renamed.summary.outcomes[0]?.output).toBe(join(renamedOut, 'p000-deblurred-2.jpg'));
    expect(await readFile(join(renamedOut, 'p000-deblurred.jpg'), 'utf8')).toBe('not ours');
    const overwrite = await runBatch({ inputs: [input], output: out, onExisting: 'overwrite-outputs' });
    expect(overwrite.summary.counts.done).toBe(1);
    expect((await sharp(existing).metadata()).format).toBe('jpeg');
  });

  it('removes temp files left by an interrupted atomic write of its own outputs, and nothing else', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 2);
    const out = join(folder, 'out');
    await mkdir(out);
    const stale = join(out, '.p001-deblurred.jpg.0123456789ab.tmp');
    const foreign = join(out, '.other.jpg.0123456789ab.tmp');
    await writeFile(stale, 'half a photo');
    await writeFile(foreign, 'not ours');
    const { job, summary } = await runBatch({ inputs: [input], output: out });
    expect(job.staleTempsRemoved).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
    expect(summary.counts.done).toBe(2);
  });

  it('lets one batch at a time write into an output folder (a refused one deletes nothing), taking over a stale lock', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 4);
    const out = join(folder, 'out');
    await mkdir(out);
    await writeFile(join(out, '.deblur-batch.lock'), '999999999'); // no such process
    let second: Promise<string> | undefined;
    // As if the running batch were writing p003 now: the refused second batch must leave its temp file alone.
    const inFlight = join(out, '.p003-deblurred.jpg.0123456789ab.tmp');
    const first = await runBatch({ inputs: [input], output: out }, () => {
      if (second) return;
      writeFileSync(inFlight, 'being written');
      second = runBatch({ inputs: [input], output: out }).then(
        () => 'ran',
        (error: Error) => error.message,
      );
    });
    expect(await second).toMatch(/another batch \(pid \d+\) is writing/);
    expect(existsSync(inFlight)).toBe(true);
    expect(first.summary.counts.done).toBe(4);
    expect(existsSync(join(out, '.deblur-batch.lock'))).toBe(false);
  });

  it('pauses between photos, resumes, and cancels keeping finished photos', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 5);
    const out = join(folder, 'out');
    // Every event in order; `until` resolves as soon as the recorded events satisfy a condition (no polling).
    const events: BatchEvent[] = [];
    const waiters = new Set<() => void>();
    let job: BatchJob | undefined;
    const running = runBatch({ inputs: [input], output: out }, (event, j) => {
      job = j;
      events.push(event);
      if (event.type === 'photo' && !events.some((e) => e.type === 'paused')) j.pause();
      for (const check of [...waiters]) check();
    });
    const until = (condition: () => boolean) =>
      Promise.race([
        new Promise<void>((resolve) => {
          const check = () => {
            if (!condition()) return;
            waiters.delete(check);
            resolve();
          };
          waiters.add(check);
          check();
        }),
        running.then(() => {
          if (!condition()) throw new Error('the batch ended before the awaited event');
        }),
      ]);
    const photosIn = (from: number, to = events.length) =>
      events.slice(from, to).flatMap((e) => (e.type === 'photo' ? [e.outcome] : []));
    const relativeOutputs = (outcomes: { output?: string | undefined }[]) =>
      outcomes.map((o) => o.output!.slice(out.length + 1)).sort();

    // Paused from the first photo's event: the photo already in the worker (its inference overlapped that
    // write) still finishes and is written, then the job holds before the next photo.
    await until(() => events.some((e) => e.type === 'paused'));
    const pausedIndex = events.findIndex((e) => e.type === 'paused');
    expect(photosIn(0, pausedIndex)).toHaveLength(1);
    await until(() => photosIn(pausedIndex).length === 1);
    const held = events.length;
    const finished = photosIn(0);
    expect(finished.map((o) => o.status)).toEqual(['done', 'done']);
    expect(events.at(-1)).toMatchObject({ type: 'progress', paused: true, processed: 2, done: 2 });
    expect(await outputsOf(out)).toEqual(relativeOutputs(finished));
    // While paused nothing happens: no photo starts (no tile progress), finishes, or lands on disk. The wait is
    // only the window in which nothing may happen, not synchronisation.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events.slice(held)).toEqual([]);
    expect(await outputsOf(out)).toEqual(relativeOutputs(finished));

    job!.resume();
    const { summary } = await running;
    expect(events[held]).toEqual({ type: 'resumed' });
    const afterResume = photosIn(held);
    expect(afterResume.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    expect(summary.counts).toMatchObject({ done: 5, failed: 0, notRun: 0 });
    expect(await outputsOf(out)).toEqual(relativeOutputs([...finished, ...afterResume]));
    expect(await outputsOf(out)).toHaveLength(5);

    // Cancel after the first photo: the batch stops, keeps what it finished, leaves no temp file.
    const out2 = join(folder, 'out2');
    const cancelled = await runBatch({ inputs: [input], output: out2 }, (event, j) => {
      if (event.type === 'photo') j.cancel();
    });
    expect(cancelled.summary.cancelled).toBe(true);
    const kept = await outputsOf(out2);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(5);
    expect(cancelled.summary.counts.done).toBe(kept.length);
    expect(cancelled.summary.counts.notRun).toBe(5 - kept.length);
    expect(kept.some((f) => f.endsWith('.tmp'))).toBe(false);
    // The CSV lists the photos it never reached too, and why.
    const rows = await readCsv(join(out2, REPORT_CSV));
    expect(rows.filter((row) => row.status === 'not run').map((row) => row.reason)).toEqual(
      Array.from({ length: 5 - kept.length }, () => 'the batch was cancelled'),
    );
    // Running it again finishes the rest.
    const rest = await runBatch({ inputs: [input], output: out2 });
    expect(rest.summary.counts).toMatchObject({ resumed: kept.length, done: 5 - kept.length });
  });

  it('the CSV report keeps file names with commas, quotes and line breaks whole, one row per photo', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await mkdir(input);
    const names = ['shot, "one".jpg', 'two\nlines.png', 'plain.jpg'];
    for (const name of names) await makePhoto(input, name);
    const out = join(folder, 'out');
    const { summary } = await runBatch({ inputs: [input], output: out });
    expect(summary.counts).toMatchObject({ done: 3, failed: 0 });
    const rows = await readCsv(join(out, REPORT_CSV));
    expect(rows.map((row) => [basename(row.input!), row.status]).sort()).toEqual(
      names.map((name) => [name, 'done']).sort(),
    );
    for (const row of rows) expect(existsSync(row.output!), row.output).toBe(true);
  });

  it('reports a read-only output location as failures, loses nothing, and carries on', async (context) => {
    const folder = await tempFolder();
    const album = await makeAlbum(join(folder, 'album'));
    const before = await checksums(album.root);
    const out = join(folder, 'out');
    await mkdir(join(out, 'trip'), { recursive: true });
    const undo = await makeReadOnly(join(out, 'trip'));
    if (!undo) context.skip();
    try {
      const { summary } = await runBatch({ inputs: [album.root], output: out, recursive: true });
      expect(summary.counts).toMatchObject({ done: 2, failed: 2, skipped: 4 });
      for (const failure of summary.failures)
        expect(failure.reason).toMatch(/could not be written|EACCES|EPERM/);
      expect(await outputsOf(out)).toEqual(['a-deblurred.jpg', 'b-deblurred.png']);
      // The whole output location read-only: refused before any work, nothing written.
      const rootOnly = join(out, 'trip');
      await expect(runBatch({ inputs: [album.root], output: rootOnly })).rejects.toMatchObject({
        name: 'BatchUsageError', // the CLI exits 2, as for any request that cannot run as given
        message: expect.stringMatching(/cannot be written/),
      });
    } finally {
      await undo?.();
    }
    expect(await checksums(album.root)).toEqual(before);
    // Once writable, the same batch resumes the two done photos and restores the two that failed.
    const again = await runBatch({ inputs: [album.root], output: out, recursive: true });
    expect(again.summary.counts).toMatchObject({ resumed: 2, done: 2, failed: 0 });
  });

  it('a photo too large for the output format fails at load, before inference', async () => {
    const folder = await tempFolder();
    const input = await makePhoto(folder, 'wide.png', { width: 16400, height: 8 });
    const output = join(folder, 'out', 'wide-deblurred.webp');
    const loaded = await loadPhoto({ input, output, format: 'webp', mask: undefined, replaces: false });
    expect(loaded).toMatchObject({ ok: false, unreadable: false });
    expect(loaded.ok ? '' : loaded.reason).toMatch(/16400x8 is too large for WEBP/);
    await expect(
      loadPhoto({ input, output, format: 'png', mask: undefined, replaces: false }),
    ).resolves.toMatchObject({
      ok: true,
    });
  });

  it('a photo over the pixel limit fails with its reason, in the summary and both reports; non-photos stay skipped', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'album');
    await makePhotos(input, 1);
    const huge = await hugePng(join(input, 'huge.png'), 20000, 15000); // 300 MP, over sharp's 268 MP
    await writeFile(join(input, 'notes.txt'), 'shot list\n');
    await writeFile(join(input, 'fake.jpg'), 'not a JPEG at all\n');
    const out = join(folder, 'out');
    const { summary } = await runBatch({ inputs: [input], output: out });
    expect(summary.counts).toMatchObject({ total: 4, done: 1, failed: 1, skipped: 2, notRun: 0 });
    const reason = '20000x15000 (300.0 MP) is over the 268.4 MP limit';
    expect(summary.failures).toEqual([{ input: huge, reason }]);
    expect(summary.skips.map((s) => basename(s.input)).sort()).toEqual(['fake.jpg', 'notes.txt']);
    const report = JSON.parse(await readFile(join(out, REPORT_JSON), 'utf8'));
    expect(report.failures).toEqual([{ input: huge, reason }]);
    expect(await readFile(join(out, REPORT_CSV), 'utf8')).toContain(`\n${huge},failed,,${reason},`);
  });

  it('a photo we may not read fails at load as denied, not skipped as "not an image format"', async (context) => {
    if (!CAN_DENY_READS) return context.skip('cannot change the effective user here');
    const folder = await tempFolder();
    const input = await lockedPhoto(folder, 'locked.jpg');
    const output = join(folder, 'out', 'locked-deblurred.jpg');
    const item = { input, output, format: 'jpeg' as const, mask: undefined, replaces: false };
    expect(await asNobody(() => loadPhoto(item))).toEqual({
      ok: false,
      unreadable: false,
      reason: 'permission denied: it cannot be read (EACCES)',
    });
  });

  it('keeps a file made at a new output path while the batch ran: that photo fails, nothing is replaced', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 2);
    const out = join(folder, 'out');
    const plan = await planBatch({ modelDir: FIXTURE_DIR, inputs: [input], output: out });
    expect(plan.photos.map((p) => p.replaces)).toEqual([false, false]);
    // Planned, then, before the batch reaches it, an export writes the same name there.
    await mkdir(out, { recursive: true });
    await writeFile(plan.photos[1]!.output, 'exported by hand');
    const summary = await new BatchJob(engine, plan, () => undefined).run();
    expect(summary.counts).toMatchObject({ done: 1, failed: 1 });
    expect(summary.failures[0]?.reason).toMatch(/exists/);
    expect(await readFile(plan.photos[1]!.output, 'utf8')).toBe('exported by hand');
    // Nor does a later run take it for the photo's own output: the journal says it failed before writing.
    const again = await planBatch({ modelDir: FIXTURE_DIR, inputs: [input], output: out });
    expect(again.resumed).toHaveLength(1);
    expect(again.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/output exists/)]);
  });

  it('an output folder reached through a link to the input folder: a second run resumes, adds nothing', async () => {
    const folder = await tempFolder();
    const input = join(folder, 'in');
    await makePhotos(input, 2);
    const link = join(folder, 'link-to-in');
    await symlink(input, link);
    const first = await runBatch({ inputs: [input], output: link });
    expect(first.summary.counts).toMatchObject({ done: 2, skipped: 0 });
    const again = await runBatch({ inputs: [input], output: link });
    // Its own outputs and journal, walked under the other spelling, are neither photos nor junk.
    expect(again.summary.counts).toMatchObject({ resumed: 2, done: 0, skipped: 0 });
    expect((await outputsOf(input)).sort()).toEqual(
      ['p000-deblurred.jpg', 'p000.jpg', 'p001-deblurred.jpg', 'p001.jpg'].sort(),
    );
  });
});

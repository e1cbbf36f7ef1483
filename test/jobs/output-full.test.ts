// A batch whose output photos' disk fills up (its journal's disk still has room) stops at once: the photo whose
// write failed is neither failed nor half-written, nothing more starts, and the same batch run again redoes it.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src-main/inference';
import {
  BatchJob,
  BatchStoppedError,
  REPORT_CSV,
  REPORT_JSON,
  planBatch,
  type PhotoOutcome,
} from '../../src-main/jobs';
import { readJournal } from '../../src-main/jobs/journal';
import { tempFolder, tinyDisk } from '../imaging/helpers';
import { FIXTURE_DIR } from '../inference/helpers';
import { albumOnTwoDisks, checksums, fillDisk, listFiles, makePhotos, readCsv } from './helpers';

const engine = new InferenceEngine();
afterAll(() => engine.close());

describe('batch whose output disk is full', () => {
  it('stops at once, leaves the photo it could not write to the next run (not failed) and resumes once there is space', async (context) => {
    const album = await albumOnTwoDisks(4, 'photos');
    if (!album) return context.skip('cannot mount a tmpfs here (needs root)');
    const { input, out, photos: disk, unmount } = album;
    try {
      // Only the photos' disk fills: they go to out/sub, a link to the tiny disk; the journal stays in out.
      const request = { modelDir: FIXTURE_DIR, inputs: [input], output: out, recursive: true };
      const plan = await planBatch(request);
      const [first, second] = plan.photos;
      const onDisk = (path: string) => path.replace(join(out, 'sub'), disk);
      const outcomes: PhotoOutcome[] = [];
      const job = new BatchJob(engine, plan, (event) => {
        if (event.type !== 'photo') return;
        // After the first photo is written; the second is already in the worker and is written next.
        if (!outcomes.length) fillDisk(disk);
        outcomes.push(event.outcome);
      });
      const error = await job.run().then(
        () => undefined,
        (e: unknown) => e,
      );

      // Only the first photo is reported: the second is not failed, the others never ran.
      expect(outcomes.map((o) => [o.input, o.status])).toEqual([[first!.input, 'done']]);
      expect(error).toBeInstanceOf(BatchStoppedError);
      const stopped = error as BatchStoppedError;
      expect(stopped.message).toContain(
        `${second!.output}: the disk of the output photos is full (not enough disk space`,
      );
      // Neutral: the reason also reaches the app, which has no command line; the CLI adds its own wording.
      expect(stopped.message).toMatch(
        /once there is free space on that disk, running the batch again resumes where it stopped$/,
      );
      expect(stopped.message).not.toMatch(/command/);
      expect(stopped.summary).toMatchObject({ cancelled: false, stopped: stopped.message, failures: [] });
      expect(stopped.summary.counts).toMatchObject({ total: 4, done: 1, failed: 0, skipped: 0, notRun: 3 });
      const report = JSON.parse(await readFile(join(out, REPORT_JSON), 'utf8'));
      expect(report).toMatchObject({ stopped: stopped.message, failures: [] });
      // The CSV alone tells that the batch stopped, and why: one row per photo, those it never finished
      // `not run` with the reason (the second photo's included: it was not written).
      const rows = await readCsv(join(out, REPORT_CSV));
      expect(rows.map((row) => [row.input, row.status, row.reason])).toEqual([
        [first!.input, 'done', ''],
        ...plan.photos.slice(1).map((photo) => [photo.input, 'not run', stopped.message]),
      ]);
      // The first output and nothing else on the full disk: no temp file, nothing of the second photo.
      expect(await listFiles(disk)).toEqual([onDisk(first!.output), join(disk, 'filler')].sort());
      const kept = await checksums(disk);
      // The journal still has the second photo as planned (not failed), so the next run redoes it in place.
      const { last } = await readJournal(plan.journalPath);
      expect(last.get(second!.input)).toMatchObject({ t: 'planned', output: second!.output });
      expect([...last.values()].filter((r) => r.t === 'failed')).toEqual([]);

      await rm(join(disk, 'filler'));
      const again = await new BatchJob(engine, await planBatch(request)).run();
      expect(again.counts).toMatchObject({ resumed: 1, done: 3, failed: 0, notRun: 0 });
      expect(again.stopped).toBeUndefined();
      expect((await readCsv(join(out, REPORT_CSV))).map((row) => row.status).sort()).toEqual([
        'done',
        'done',
        'done',
        'resumed',
      ]);
      // Every photo once (no `-2`), the first one left as it was.
      expect(await listFiles(disk)).toEqual(plan.photos.map((p) => onDisk(p.output)));
      const name = onDisk(first!.output).slice(disk.length + 1);
      expect((await checksums(disk))[name]).toBe(kept[name]);
    } finally {
      unmount();
    }
  });
});

describe('batch whose output folder is on a disk already full', () => {
  it('is refused before any work (exit 2), and leaves no lock or other file there', async (context) => {
    const folder = await tempFolder();
    const out = join(folder, 'out');
    await mkdir(out);
    const unmount = tinyDisk(out);
    if (!unmount) return context.skip('cannot mount a tmpfs here (needs root)');
    try {
      const input = join(folder, 'in');
      await makePhotos(input, 1);
      fillDisk(out);
      const plan = await planBatch({ modelDir: FIXTURE_DIR, inputs: [input], output: out });
      await expect(new BatchJob(engine, plan).run()).rejects.toMatchObject({
        name: 'BatchUsageError',
        message: expect.stringMatching(/^output folder .* cannot be written \(ENOSPC.*nothing was written$/),
      });
      expect(await readdir(out)).toEqual(['filler']);
    } finally {
      unmount();
    }
  });
});

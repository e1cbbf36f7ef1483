// A batch whose journal cannot be written (its disk full) stops at once: the photo it already wrote is kept and
// not called failed, nothing more starts, no temp file stays, and the same batch run again finishes the album.
import { appendFileSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src-main/inference';
import { BatchJob, BatchStoppedError, planBatch, type PhotoOutcome } from '../../src-main/jobs';
import { readJournal } from '../../src-main/jobs/journal';
import { FIXTURE_DIR } from '../inference/helpers';
import { albumOnTwoDisks, fillDisk, listFiles } from './helpers';

const engine = new InferenceEngine();
afterAll(() => engine.close());

/** Fills `folder`'s disk to the last byte, the journal's last page included (blank lines, which reading skips).
 * Synchronous, so called from a batch event it is done before the batch's next append. */
function fillDiskAndJournal(folder: string, journal: string): void {
  fillDisk(folder);
  try {
    appendFileSync(journal, '\n'.repeat(8192));
  } catch {
    // ENOSPC: full, as wanted
  }
}

describe('batch whose journal cannot be written', () => {
  it('stops at once on a full disk, keeps the photo it wrote (not failed) and resumes once there is space', async (context) => {
    const album = await albumOnTwoDisks(4, 'journal');
    if (!album) return context.skip('cannot mount a tmpfs here (needs root)');
    const { input, out, photos: spill, unmount } = album;
    try {
      // Only the journal's disk fills: the photos go to out/sub, a link to a folder on another disk.
      const request = { modelDir: FIXTURE_DIR, inputs: [input], output: out, recursive: true };
      const plan = await planBatch(request);
      const [first, second] = plan.photos;
      const outcomes: PhotoOutcome[] = [];
      const job = new BatchJob(engine, plan, (event) => {
        if (event.type !== 'photo') return;
        // After the first photo is recorded done; the second is already planned and in the worker.
        if (!outcomes.length) fillDiskAndJournal(out, plan.journalPath);
        outcomes.push(event.outcome);
      });
      const error = await job.run().then(
        () => undefined,
        (e: unknown) => e,
      );

      // The second photo was written whole before its `done` record failed: done, with a warning, not failed.
      expect(outcomes.map((o) => [o.input, o.status])).toEqual([
        [first!.input, 'done'],
        [second!.input, 'done'],
      ]);
      expect(outcomes[1]!.warnings).toEqual([expect.stringMatching(/not recorded in the journal/)]);
      expect(error).toBeInstanceOf(BatchStoppedError);
      const stopped = error as BatchStoppedError;
      expect(stopped.message).toMatch(/journal\.jsonl: the batch journal cannot be written \(ENOSPC/);
      expect(stopped.message).toMatch(
        /once there is free space .* running the batch again resumes where it stopped$/,
      );
      expect(stopped.message).not.toMatch(/command/);
      expect(stopped.summary).toMatchObject({ cancelled: false, stopped: stopped.message, failures: [] });
      expect(stopped.summary.counts).toMatchObject({ total: 4, done: 2, failed: 0, notRun: 2 });
      // Nothing started after the failure; both outputs are whole; no temp file, no lock left.
      const outputs = await listFiles(spill);
      expect(outputs).toEqual([first!.output, second!.output].map((p) => p.replace(join(out, 'sub'), spill)));
      for (const file of outputs) expect((await sharp(file).metadata()).width).toBe(128);
      expect((await listFiles(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(existsSync(join(out, '.deblur-batch.lock'))).toBe(false);
      // The journal still has the second photo as planned (not failed), so the next run redoes it in place.
      const { last } = await readJournal(plan.journalPath);
      expect(last.get(second!.input)).toMatchObject({ t: 'planned', output: second!.output });

      await rm(join(out, 'filler'));
      const again = await new BatchJob(engine, await planBatch(request)).run();
      expect(again.counts).toMatchObject({ resumed: 1, done: 3, failed: 0, notRun: 0 });
      expect(await listFiles(spill)).toHaveLength(4); // the second photo redone into its file, no `-2`
    } finally {
      unmount();
    }
  });
});

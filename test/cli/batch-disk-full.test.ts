// `deblur batch` onto an output disk that is already full: it stops at its first photo with exit 3 and says
// why, instead of failing every photo one after another.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../inference/helpers';
import { albumOnTwoDisks, fillDisk, listFiles, readCsv } from '../jobs/helpers';
import { deblur } from './helpers';

describe('deblur batch on a full output disk', () => {
  it('exits 3 at once, nothing failed, nothing left half-written', async (context) => {
    const album = await albumOnTwoDisks(3, 'photos');
    if (!album) return context.skip('cannot mount a tmpfs here (needs root)');
    const { input, out, photos: disk, unmount } = album;
    try {
      // The photos go to out/sub, a link to the tiny disk, full before the batch starts; the journal has room.
      fillDisk(disk);
      const run = await deblur('batch', input, '-o', out, '--recursive', '--model', FIXTURE_DIR);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/stopped in .*: 0 done, 0 resumed, 0 skipped, 0 failed, 3 not run/);
      expect(run.stderr).toMatch(
        /deblur batch: .*p000-deblurred\.jpg: the disk of the output photos is full/,
      );
      // The reason is the app's too; the command-line wording is the CLI's own, on the last line.
      expect(run.stderr).toMatch(
        /full \(.*\); the batch stopped: .* running the batch again resumes where it stopped\n/,
      );
      expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(
        `deblur batch: run the same command again to resume (journal: ${join(out, '.deblur-batch.journal.jsonl')})`,
      );
      const report = JSON.parse(await readFile(join(out, 'deblur-batch-report.json'), 'utf8'));
      expect(report).toMatchObject({ failures: [], counts: { failed: 0, notRun: 3 } });
      expect(report.stopped).toMatch(/disk of the output photos is full/);
      // A spreadsheet of the CSV lists every photo, not run, with why the batch stopped.
      const rows = await readCsv(join(out, 'deblur-batch-report.csv'));
      expect(rows.map((row) => [row.status, row.reason])).toEqual(
        Array.from({ length: 3 }, () => ['not run', report.stopped]),
      );
      expect(await listFiles(disk)).toEqual([join(disk, 'filler')]);
    } finally {
      unmount();
    }
  });
});

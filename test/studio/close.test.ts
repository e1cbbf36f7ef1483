// Quitting the app with a batch running: the studio stops the batch before its worker, so the photo being
// restored ends as not run (cancelled), never as a failure, and the journal closes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS, type BatchProgressEvent, type BatchResult } from '../../src-main/contract';
import { JOURNAL_NAME } from '../../src-main/jobs';
import { tempFolder } from '../imaging/helpers';
import { makePhotos } from '../jobs/helpers';
import { ok, testStudio } from './helpers';

const t = testStudio();

async function midPhoto(): Promise<void> {
  for (;;) {
    const inWorker = t.events.some(({ event, payload }) => {
      const tiles = (payload as BatchProgressEvent).tiles;
      return (
        event === EVENTS.batchProgress && tiles !== undefined && tiles.done > 0 && tiles.done < tiles.total
      );
    });
    if (inWorker) return;
    await new Promise((done) => setTimeout(done, 5));
  }
}

describe('closing the studio', () => {
  it('cancels a running batch before stopping the worker: no photo fails', async () => {
    const folder = await tempFolder();
    const [input, output] = [join(folder, 'in'), join(folder, 'out')];
    await makePhotos(input, 3, { width: 900, height: 700 });
    t.folderAnswers.push(input, output);
    ok(await t.call(CHANNELS.chooseBatchFolder, 'input'));
    ok(await t.call(CHANNELS.chooseBatchFolder, 'output'));
    const started = t.call(CHANNELS.startBatch, { jobId: 'quit-1' });
    await midPhoto();
    await t.studio.close();
    const result = ok<BatchResult>(await started);
    expect(result.cancelled).toBe(true);
    expect(result.counts.failed).toBe(0);
    const journal = (await readFile(join(output, JOURNAL_NAME), 'utf8')).trim().split('\n');
    expect(JSON.parse(journal.at(-1)!)).toMatchObject({ t: 'end', cancelled: true });
  });
});

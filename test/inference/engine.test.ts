import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src-main/inference/engine';
import { CancelledError } from '../../src-main/inference/pipeline';
import { tempFolder } from '../imaging/helpers';
import { FIXTURE_DIR, texture8 } from './helpers';

const engine = new InferenceEngine();
afterAll(() => engine.close());

const job = (width: number, height: number) => ({
  modelDir: FIXTURE_DIR,
  device: 'cpu' as const,
  threads: 1,
  input: { pixels: { width, height, data: texture8(width, height) }, maps: false },
});

describe('inference worker', () => {
  it('runs a job in the worker thread: its input is moved there, progress and the result come back', async () => {
    const sent = job(640, 384);
    const progress: number[] = [];
    const running = engine.restore(sent, { onProgress: (p) => progress.push(p.done) });
    // Transferred to the worker with postMessage: the caller's buffer is detached at once (a job run on this
    // thread would still hold it).
    expect(sent.input.pixels.data.byteLength).toBe(0);
    const result = await running;
    expect(result.tiles.run).toBe(8);
    expect(result.pixels.data).toHaveLength(640 * 384 * 3);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('cancels a running job within a tile', async () => {
    const controller = new AbortController();
    let last = 0;
    const running = engine.restore(job(1024, 512), {
      signal: controller.signal,
      onProgress: ({ done }) => {
        last = done;
        if (done === 1) controller.abort();
      },
    });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    // The worker stops before its next tile once the message arrives (21 tiles in all); exactly when depends
    // on how fast the main thread reacts to the first progress message on a loaded machine.
    expect(last).toBeLessThan(21);
    // The worker is still usable afterwards.
    await expect(engine.restore(job(130, 130))).resolves.toMatchObject({ tiles: { run: 1 } });
  });

  it('reports errors from the worker with their message', async () => {
    await expect(engine.restore({ ...job(128, 128), modelDir: '/nonexistent' })).rejects.toThrow(
      /manifest\.json: cannot read the model manifest/,
    );
  });

  it('forgets a released model folder: a model replaced on disk is verified again, not run from memory', async () => {
    const dir = join(await tempFolder(), 'model');
    await cp(FIXTURE_DIR, dir, { recursive: true });
    await engine.restore({ ...job(128, 128), modelDir: dir });
    await writeFile(join(dir, 'model.onnx'), 'another model now');
    await expect(engine.restore({ ...job(128, 128), modelDir: dir })).resolves.toBeDefined(); // cached
    engine.release(dir);
    await expect(engine.restore({ ...job(128, 128), modelDir: dir })).rejects.toThrow(/sha256/);
  });
});

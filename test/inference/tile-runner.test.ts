import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelDir } from '../../src-main/inference/manifest';
import { getSession, type EngineSession } from '../../src-main/inference/session';
import { TileRunner } from '../../src-main/inference/tile-runner';
import { FIXTURE_DIR, maxAbsDiff, readGolden } from './helpers';

// No GPU here: the failing GPU session is a stand-in whose run() rejects as CUDA does when a tile does not fit.
function failingGpu(message: string): EngineSession & { calls: number } {
  const gpu = {
    calls: 0,
    provider: 'cuda' as const,
    fallbackReason: undefined,
    threads: 1,
    model: undefined as unknown as EngineSession['model'],
    session: {
      run: () => {
        gpu.calls++;
        return Promise.reject(new Error(message));
      },
    } as unknown as ort.InferenceSession,
  };
  return gpu;
}

async function cpuSession(): Promise<EngineSession> {
  return getSession(await loadModelDir(FIXTURE_DIR), { device: 'cpu', threads: 1 });
}

describe('TileRunner', () => {
  it('runs the failed tile and the rest of the job on the CPU when the GPU fails mid-job, and says why', async () => {
    const golden = await readGolden();
    const { size } = golden;
    const gpu = failingGpu('CUDA failure 2: out of memory ; GPU=0 ; file=cuda_allocator.cc');
    const runner = await TileRunner.open(Promise.resolve(gpu), cpuSession);
    expect(runner.provider).toBe('cuda');
    expect(runner.fallbackReason).toBeUndefined();

    const first = await runner.run(golden.image, golden.guide, size, size, golden.threshold);
    expect(maxAbsDiff(first.restored, golden.restored)).toBeLessThan(1e-4);
    expect(runner.provider).toBe('cpu');
    expect(runner.fallbackReason).toMatch(/^CUDA failed on a 128x128 tile \(CUDA failure 2: out of memory/);
    expect(runner.fallbackReason).toMatch(/--tile 256.*The rest of this photo ran on the CPU\.$/);

    await runner.run(golden.image, golden.guide, size, size, golden.threshold);
    expect(gpu.calls).toBe(1); // later tiles go straight to the CPU
  });

  it('gives no tile-size hint when the GPU failed for another reason', async () => {
    const golden = await readGolden();
    const runner = await TileRunner.open(Promise.resolve(failingGpu('CUDA error: device lost')), cpuSession);
    await runner.run(golden.image, golden.guide, golden.size, golden.size, golden.threshold);
    expect(runner.fallbackReason).toBe(
      'CUDA failed on a 128x128 tile (CUDA error: device lost). The rest of this photo ran on the CPU.',
    );
  });

  it('lets a CPU failure through, without retrying', async () => {
    const golden = await readGolden();
    let reopened = 0;
    const runner = await TileRunner.open(cpuSession(), () => (reopened++, cpuSession()));
    // The guide is a pixel short: onnxruntime refuses the feed.
    const guide = golden.guide.subarray(1);
    await expect(runner.run(golden.image, guide, golden.size, golden.size, 0.5)).rejects.toThrow();
    expect(reopened).toBe(0);
    expect(runner.fallbackReason).toBeUndefined();
  });
});

import { execFileSync } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelError, loadModelDir, sha256File } from '../../src-main/inference/manifest';
import { explainProviderFailure, providerOrder } from '../../src-main/inference/providers';
import { getSession, holdSession, releaseSessionsOf, runTile } from '../../src-main/inference/session';
import { FIXTURE_DIR, maxAbsDiff, readGolden, tempFolder } from './helpers';

describe('session', () => {
  it('reproduces the golden outputs of the fixture model', async () => {
    const golden = await readGolden();
    const engine = await getSession(await loadModelDir(FIXTURE_DIR), { device: 'cpu', threads: 1 });
    const { size } = golden;
    const out = await runTile(engine, golden.image, golden.guide, size, size, golden.threshold);
    expect(maxAbsDiff(out.restored, golden.restored)).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.confidence, golden.confidence)).toBeLessThan(1e-4);
    expect(Array.from(out.decisions)).toEqual(Array.from(golden.decisions));
    expect(out.decisionDims).toEqual([1, 9, size / 8, size / 8]);
    expect(Math.abs(out.keptRatio - golden.keptRatio)).toBeLessThan(1e-5);
  });

  it('refuses a graph whose outputs have the right names but not the contract shapes', async () => {
    const dir = join(await tempFolder(), 'bad');
    await cp(FIXTURE_DIR, dir, { recursive: true });
    const modelPath = join(dir, 'model.onnx');
    execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'make_bad_graph.py'), modelPath]);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    await writeFile(manifestPath, JSON.stringify({ ...manifest, sha256: await sha256File(modelPath) }));
    const model = await loadModelDir(dir); // the checksum matches: only running it tells
    const opening = getSession(model, { device: 'cpu', threads: 1 });
    await expect(opening).rejects.toBeInstanceOf(ModelError);
    await expect(opening).rejects.toThrow(
      /restored float32 \[1,1,128,128\].*model contract|model contract.*restored/,
    );
  });

  it('releases a dropped session once the jobs holding it let go, and an idle one at once', async () => {
    const dir = join(await tempFolder(), 'model');
    await cp(FIXTURE_DIR, dir, { recursive: true });
    const model = await loadModelDir(dir);
    const golden = await readGolden();
    const { size } = golden;
    const run = (engine: Awaited<ReturnType<typeof getSession>>) =>
      runTile(engine, golden.image, golden.guide, size, size, golden.threshold);

    const entry = getSession(model, { device: 'cpu', threads: 1 });
    const letGo = holdSession(entry); // a job starts while the session is still opening
    await releaseSessionsOf(model.dir); // the model is replaced on disk meanwhile
    const held = await entry;
    await expect(run(held)).resolves.toBeDefined(); // the running job is not failed under it
    const fresh = await getSession(model, { device: 'cpu', threads: 1 });
    expect(fresh).not.toBe(held);
    await letGo();
    await expect(run(held)).rejects.toThrow(); // released when the job let go
    await letGo(); // a second call changes nothing

    await releaseSessionsOf(model.dir); // not held: released at once
    await expect(run(fresh)).rejects.toThrow();
  });

  it('caches one session per model, device and thread count', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    const a = await getSession(model, { device: 'cpu', threads: 1 });
    expect(await getSession(model, { device: 'cpu', threads: 1 })).toBe(a);
    expect(a).toMatchObject({ provider: 'cpu', fallbackReason: undefined, threads: 1 });
  });

  it.runIf(process.platform === 'linux')(
    'falls back to the CPU on this machine with a reason naming CUDA and the fix',
    async () => {
      const model = await loadModelDir(FIXTURE_DIR);
      for (const device of ['auto', 'cuda'] as const) {
        const engine = await getSession(model, { device, threads: 1 });
        expect(engine.provider).toBe('cpu');
        expect(engine.fallbackReason).toMatch(/CUDA/);
        expect(engine.fallbackReason).toMatch(/CUDA 12 and cuDNN 9/);
        expect(engine.fallbackReason).toMatch(/reinstall onnxruntime-node/);
      }
      const dml = await getSession(model, { device: 'dml', threads: 1 });
      expect(dml.provider).toBe('cpu');
      expect(dml.fallbackReason).toMatch(/DirectML is not available on linux/);
    },
  );
});

describe('providers', () => {
  it('orders providers by platform, CPU last, and lets a device be forced', () => {
    expect(providerOrder('auto', 'linux')).toEqual(['cuda', 'cpu']);
    expect(providerOrder('auto', 'win32')).toEqual(['dml', 'cpu']);
    expect(providerOrder('auto', 'darwin')).toEqual(['coreml', 'cpu']);
    expect(providerOrder('cpu', 'linux')).toEqual(['cpu']);
    expect(providerOrder('cuda', 'win32')).toEqual(['cuda', 'cpu']);
  });

  it('names the missing CUDA library and the install step', () => {
    const error = new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library');
    const cudart = explainProviderFailure('cuda', error, 'linux', 'libcudart.so.12 could not be loaded');
    expect(cudart).toMatch(/CUDA 12 runtime \(libcudart\.so\.12\) is missing/);
    const cudnn = explainProviderFailure('cuda', error, 'linux', 'libcudnn.so.9 could not be loaded');
    expect(cudnn).toMatch(/cuDNN 9 \(libcudnn\.so\.9\) is missing/);
    expect(explainProviderFailure('cuda', error, 'linux')).toMatch(
      /needs libcudart\.so\.12 and libcudnn\.so\.9/,
    );
    const dml = new Error('no available backend found. ERR: [dml] backend not found.');
    expect(explainProviderFailure('dml', dml, 'win32')).toMatch(
      /DirectML is not in this onnxruntime-node build/,
    );
    expect(explainProviderFailure('coreml', dml, 'linux')).toMatch(/CoreML is not available on linux/);
  });
});

// The exported ONNX graph, run by onnxruntime-node, against PyTorch's outputs for the same inputs.
// training/parity_cases.py exports a random-weight network and writes the reference cases at test time.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, maxAbsDiff, readCase, readFloats, runCase } from './cases';

const FIXTURE = 'test/fixtures/lmdvit-fixture';
const CASES = ['size128x128', 'size256x384', 'size512x512', 'zero_all', 'zero_some'];

async function expectMatches(session: ort.InferenceSession, folder: string, name: string) {
  const c = await readCase(folder, name);
  const out = await runCase(session, folder, c);
  const restored = out['restored']!.data as Float32Array;
  const confidence = out['confidence']!.data as Float32Array;
  const decisions = out['decisions']!.data as Float32Array;
  expect(out['restored']!.dims).toEqual(c.outputs.restored.dims);
  expect(out['decisions']!.dims).toEqual(c.outputs.decisions.dims);
  expect(maxAbsDiff(restored, await readFloats(folder, c.outputs.restored))).toBeLessThan(1e-4);
  expect(maxAbsDiff(confidence, await readFloats(folder, c.outputs.confidence))).toBeLessThan(1e-4);
  expect(maxAbsDiff(decisions, await readFloats(folder, c.outputs.decisions))).toBe(0);
  expect(Math.abs((out['kept_ratio']!.data as Float32Array)[0]! - c.keptRatio)).toBeLessThan(1e-6);
  return c;
}

describe('committed fixture', () => {
  it('matches its golden PyTorch outputs', async () => {
    const manifest = JSON.parse(await readFile(join(FIXTURE, 'manifest.json'), 'utf8'));
    const session = await createSession(join(FIXTURE, 'model.onnx'));
    expect(session.inputNames).toEqual(manifest.inputs);
    expect(session.outputNames).toEqual(manifest.outputs);
    await expectMatches(session, FIXTURE, 'golden');
  });
});

describe('fresh export against PyTorch', () => {
  let folder = '';
  let session: ort.InferenceSession;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'deblur-parity-'));
    const py = spawnSync('/usr/bin/python3', ['-m', 'training.parity_cases', '--out', folder], {
      encoding: 'utf8',
    });
    if (py.status !== 0) throw new Error(`parity_cases failed:\n${py.stderr}`);
    session = await createSession(join(folder, 'model.onnx'));
  }, 240_000);

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each(CASES)('%s', async (name) => {
    const c = await expectMatches(session, folder, name);
    if (name === 'zero_all') expect(c.blockKept.every((k) => k === 0)).toBe(true);
    if (name === 'zero_some') {
      expect(c.blockKept.some((k) => k === 0)).toBe(true);
      expect(c.blockKept.some((k) => k > 0)).toBe(true);
    }
  });
});

describe('guide behaviour in the exported graph', () => {
  it('protect everything: no window computed; force everything: every window computed', async () => {
    const session = await createSession(join(FIXTURE, 'model.onnx'));
    const c = await readCase(FIXTURE, 'golden');
    const image = await readFloats(FIXTURE, c.inputs.image);
    const { Tensor } = await import('onnxruntime-node');
    for (const [value, kept] of [
      [-1, 0],
      [1, 1],
    ] as const) {
      const out = await session.run({
        image: new Tensor('float32', image, c.inputs.image.dims),
        guide: new Tensor('float32', new Float32Array(128 * 128).fill(value), [1, 1, 128, 128]),
        threshold: new Tensor('float32', new Float32Array([0.5]), []),
      });
      expect((out['kept_ratio']!.data as Float32Array)[0]).toBe(kept);
      expect((out['decisions']!.data as Float32Array).every((d) => d === kept)).toBe(true);
    }
  });
});

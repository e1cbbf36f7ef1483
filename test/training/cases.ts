// Reads the golden cases that training/goldens.py writes: raw little-endian float32 tensors plus JSON.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

interface TensorFile {
  file: string;
  dims: number[];
}

export interface GoldenCase {
  threshold: number;
  keptRatio: number;
  minMargin: number;
  blockKept: number[];
  inputs: { image: TensorFile; guide: TensorFile };
  outputs: { restored: TensorFile; confidence: TensorFile; decisions: TensorFile };
}

export async function readFloats(folder: string, t: TensorFile): Promise<Float32Array> {
  const bytes = await readFile(join(folder, t.file));
  const copy = new Uint8Array(bytes); // aligned copy: Buffers from the pool may start at any offset
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

export async function readCase(folder: string, name: string): Promise<GoldenCase> {
  return JSON.parse(await readFile(join(folder, `${name}.json`), 'utf8')) as GoldenCase;
}

export async function runCase(session: ort.InferenceSession, folder: string, c: GoldenCase) {
  const feeds = {
    image: new ort.Tensor('float32', await readFloats(folder, c.inputs.image), c.inputs.image.dims),
    guide: new ort.Tensor('float32', await readFloats(folder, c.inputs.guide), c.inputs.guide.dims),
    threshold: new ort.Tensor('float32', new Float32Array([c.threshold]), []),
  };
  return session.run(feeds);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

export function createSession(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
}

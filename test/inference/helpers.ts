// Shared test helpers for the engine: the fixture model, its golden case, temp folders, test pixels.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';

export { texture8 } from './pixels';

export const FIXTURE_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'lmdvit-fixture');

const folders: string[] = [];

export async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'deblur-engine-'));
  folders.push(folder);
  return folder;
}

/** Copies the fixture model to `root/id` with its manifest's id set and `patch` merged in. */
export async function installFixture(
  root: string,
  id: string,
  patch: Record<string, unknown> = {},
): Promise<string> {
  const dir = join(root, id);
  await cp(FIXTURE_DIR, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, id, ...patch }));
  return dir;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

export interface Golden {
  threshold: number;
  keptRatio: number;
  image: Float32Array;
  guide: Float32Array;
  restored: Float32Array;
  confidence: Float32Array;
  decisions: Float32Array;
  size: number;
}

async function floats(name: string): Promise<Float32Array> {
  const bytes = await readFile(join(FIXTURE_DIR, name));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export async function readGolden(): Promise<Golden> {
  const json = JSON.parse(await readFile(join(FIXTURE_DIR, 'golden.json'), 'utf8'));
  return {
    threshold: json.threshold,
    keptRatio: json.keptRatio,
    size: json.inputs.image.dims[3],
    image: await floats(json.inputs.image.file),
    guide: await floats(json.inputs.guide.file),
    restored: await floats(json.outputs.restored.file),
    confidence: await floats(json.outputs.confidence.file),
    decisions: await floats(json.outputs.decisions.file),
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

// The optimised-graph cache: written on the first CPU session of an opted-in model, used after, rebuilt when
// damaged; models that do not opt in get nothing written next to them.
import { cp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getSession, loadModelDir, releaseSessions } from '../../src-main/inference';
import { runTile } from '../../src-main/inference/session';
import { FIXTURE_DIR, tempFolder } from '../inference/helpers';

afterEach(releaseSessions);

async function optIn(): Promise<string> {
  const dir = join(await tempFolder(), 'm');
  await cp(FIXTURE_DIR, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, graphCache: true }));
  return dir;
}

const cached = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith('model.optimized-'));

async function restoreOnce(dir: string): Promise<Float32Array> {
  const engine = await getSession(await loadModelDir(dir), { device: 'cpu', threads: 1 });
  const n = engine.model.manifest.inputMultiple;
  const image = new Float32Array(3 * n * n).map((_, i) => (i % 97) / 97);
  const out = await runTile(engine, image, new Float32Array(n * n), n, n, 0);
  await releaseSessions();
  return out.restored;
}

describe('graph cache', () => {
  it('writes the optimised graph once, then opens it with the same results', async () => {
    const dir = await optIn();
    const first = await restoreOnce(dir);
    const files = (await cached(dir)).sort();
    expect(files).toEqual([expect.stringMatching(/\.onnx$/), expect.stringMatching(/\.onnx\.sha256$/)]);
    const written = (await stat(join(dir, files[0]!))).mtimeMs;
    const second = await restoreOnce(dir);
    expect(second).toEqual(first);
    expect((await cached(dir)).sort()).toEqual(files);
    expect((await stat(join(dir, files[0]!))).mtimeMs).toBe(written); // used, not rewritten
  });

  it('drops a damaged cache and rebuilds it', async () => {
    const dir = await optIn();
    const first = await restoreOnce(dir);
    const [graph] = (await cached(dir)).filter((n) => n.endsWith('.onnx'));
    await writeFile(join(dir, graph!), 'damaged');
    expect(await restoreOnce(dir)).toEqual(first);
    expect((await readFile(join(dir, graph!))).length).toBeGreaterThan(100);
  });

  it('writes nothing for models that do not opt in', async () => {
    const dir = join(await tempFolder(), 'plain');
    await cp(FIXTURE_DIR, dir, { recursive: true });
    await restoreOnce(dir);
    expect(await cached(dir)).toEqual([]);
  });
});

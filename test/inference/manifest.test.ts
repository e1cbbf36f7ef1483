import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertPruned, loadModelDir, parseManifest } from '../../src-main/inference/manifest';
import { FIXTURE_DIR, tempFolder } from './helpers';

async function fixtureCopy(): Promise<string> {
  const dir = join(await tempFolder(), 'model');
  await cp(FIXTURE_DIR, dir, { recursive: true });
  return dir;
}

describe('manifest', () => {
  it('loads the fixture and takes the model facts from it', async () => {
    const model = await loadModelDir(FIXTURE_DIR);
    expect(model.manifest).toMatchObject({
      id: 'lmdvit-fixture',
      inputMultiple: 128,
      defaultThreshold: 0.5,
      recommendedTile: 256,
      variant: 'pruned',
    });
    expect(model.modelPath).toBe(join(FIXTURE_DIR, 'model.onnx'));
    expect(() => assertPruned(model)).not.toThrow();
    // Extra fields (metrics, trainingConfig, ...) are kept, not refused.
    expect(model.manifest).toHaveProperty('trainingConfig');
  });

  it('refuses a tampered model file, naming it', async () => {
    const dir = await fixtureCopy();
    const path = join(dir, 'model.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    await writeFile(path, bytes);
    await expect(loadModelDir(dir)).rejects.toThrow(`${path}: checksum mismatch`);
  });

  it('names the invalid fields of a manifest', () => {
    const text = JSON.stringify({ id: 'x', name: 'x', version: '1', architecture: {}, inputMultiple: 0 });
    expect(() => parseManifest(text, 'm.json')).toThrow(
      /m\.json: invalid manifest \(inputMultiple: .*defaultThreshold/,
    );
    expect(() => parseManifest('{', 'm.json')).toThrow('m.json: not valid JSON');
  });

  it('refuses the dense benchmark variant for restoring', async () => {
    const dir = await fixtureCopy();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    Object.assign(manifest, { variant: 'dense', inputs: ['image'], outputs: ['restored'] });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const model = await loadModelDir(dir);
    expect(() => assertPruned(model)).toThrow(/dense variant without guide, threshold/);
  });
});

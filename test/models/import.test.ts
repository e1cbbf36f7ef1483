// Importing official-layout checkpoints (generated with Debian's torch by training/make_checkpoints.py):
// good ones become runnable models matching PyTorch; bad and malicious ones are refused and nothing runs.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir } from '../../src-main/inference/manifest';
import { runModelsCli } from '../../src-main/models/cli';
import { CheckpointError, openCheckpoint } from '../../src-main/models/checkpoint';
import { importCheckpoint } from '../../src-main/models/import';
import { loadTemplate } from '../../src-main/models/template';
import { FIXTURE_DIR } from '../inference/helpers';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'src-main', 'cli', 'deblur.js');
let work: string;
let ckpts: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'deblur-import-'));
  ckpts = join(work, 'ckpts');
  execFileSync('/usr/bin/python3', ['-m', 'training.make_checkpoints', '--out', ckpts], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function floats(bytes: Buffer): Float32Array {
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('refused checkpoints', () => {
  it('refuses a pickle that calls a global outside the allowed set, and runs nothing', async () => {
    const user = join(work, 'refused');
    await expect(importCheckpoint(join(ckpts, 'evil.pth'), { modelsDir: user })).rejects.toThrow(
      /refused: the pickle references posix\.system.*nothing was executed/,
    );
    expect(existsSync(join(ckpts, 'pwned'))).toBe(false);
    expect(existsSync(user)).toBe(false);
  });

  it('names the wrong shape, the missing key, and a truncated file', async () => {
    const user = join(work, 'refused');
    await expect(importCheckpoint(join(ckpts, 'wrong-shape.pth'), { modelsDir: user })).rejects.toThrow(
      'lmdvit-official configuration (951 tensors): 1 wrong: input_proj.proj.0.weight has shape (16, 3, 3, 3), expected (32, 3, 3, 3)',
    );
    await expect(importCheckpoint(join(ckpts, 'missing-key.pth'), { modelsDir: user })).rejects.toThrow(
      '1 missing: encoderlayer_1.blocks.0.attn.proj.weight',
    );
    await expect(importCheckpoint(join(ckpts, 'truncated.pth'), { modelsDir: user })).rejects.toThrow(
      /truncated/,
    );
    // A pickle that would inflate to 100 MiB is refused before inflating.
    expect(() => openCheckpoint(join(ckpts, 'bomb.pth'))).toThrow(/more than a checkpoint's ever is/);
    // A file that is no zip at all, and a pickle cut short inside a valid zip's directory, also refuse.
    await writeFile(join(work, 'junk.pth'), 'not a checkpoint');
    expect(() => openCheckpoint(join(work, 'junk.pth'))).toThrow(CheckpointError);
    expect(existsSync(user)).toBe(false);
  });

  it('refuses NaN weights', async () => {
    const official = loadTemplate();
    const template = { ...official, tensors: official.tensors.filter((t) => t.key === 'input_proj.proj.0.bias') };
    await expect(
      importCheckpoint(join(ckpts, 'nan-one-tensor.pth'), { modelsDir: join(work, 'refused'), template }),
    ).rejects.toThrow('input_proj.proj.0.bias holds 1 non-finite values');
  });
});

describe('importing good checkpoints', () => {
  let user: string;
  let wrappedId: string;

  beforeAll(async () => {
    user = join(work, 'user-models');
    const io = { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) };
    const lines: string[] = [];
    expect(await runModelsCli(['import', join(ckpts, 'wrapped.pth'), '--json'], io, { user })).toBe(0);
    wrappedId = (JSON.parse(lines[0]!) as { id: string }).id;
  }, 120_000);

  it('accepts wrapped (module. prefixes, optimizer state) and bare state dicts alike', async () => {
    const bare = await importCheckpoint(join(ckpts, 'bare.pth'), { modelsDir: user });
    const wrapped = await loadModelDir(join(user, wrappedId));
    const plain = await loadModelDir(bare.dir);
    expect(wrapped.manifest.source).toBe('imported');
    expect(wrapped.manifest.externalData).toEqual(plain.manifest.externalData); // same weights, same bytes
    expect(wrapped.manifest.sha256).toBe(plain.manifest.sha256);
    const again = await importCheckpoint(join(ckpts, 'bare.pth'), { modelsDir: user });
    expect(again).toMatchObject({ id: bare.id, existing: true });
    expect((await readdir(bare.dir)).sort()).toEqual(['MODEL_CARD.md', 'manifest.json', 'model.onnx', 'weights.bin']);
  });

  it('importing the checkpoint again repairs a damaged import, under its id', async () => {
    const first = await importCheckpoint(join(ckpts, 'bare.pth'), { modelsDir: user });
    const weights = join(first.dir, 'weights.bin');
    const bytes = await readFile(weights);
    bytes[1000] = bytes[1000]! ^ 1;
    await writeFile(weights, bytes);
    await expect(loadModelDir(first.dir)).rejects.toThrow(/import the checkpoint again/);
    const again = await importCheckpoint(join(ckpts, 'bare.pth'), { modelsDir: user });
    expect(again.id).toBe(first.id);
    expect(again.existing).toBeFalsy();
    await expect(loadModelDir(again.dir)).resolves.toMatchObject({ dir: first.dir });
  });

  it("matches training/'s PyTorch model with the same weights within 1e-4", async () => {
    const model = await loadModelDir(join(user, wrappedId));
    const ref = JSON.parse(await readFile(join(ckpts, 'reference.json'), 'utf8')) as { size: number };
    const n = ref.size;
    const session = await ort.InferenceSession.create(model.modelPath, { intraOpNumThreads: 1 });
    try {
      const out = await session.run({
        image: new ort.Tensor('float32', floats(await readFile(join(ckpts, 'image.bin'))), [1, 3, n, n]),
        guide: new ort.Tensor('float32', new Float32Array(n * n), [1, 1, n, n]),
        threshold: new ort.Tensor('float32', new Float32Array([0]), []),
      });
      for (const name of ['restored', 'confidence']) {
        const expected = floats(await readFile(join(ckpts, `${name}.bin`)));
        expect(maxDiff(out[name]!.data as Float32Array, expected)).toBeLessThan(1e-4);
      }
    } finally {
      await session.release();
    }
  }, 120_000);

  it('refuses a tampered weights file at load', async () => {
    const copy = join(work, 'tampered');
    await cp(join(user, wrappedId), copy, { recursive: true });
    const weights = join(copy, 'weights.bin');
    const bytes = await readFile(weights);
    bytes[1000] = bytes[1000]! ^ 1;
    await writeFile(weights, bytes);
    await expect(loadModelDir(copy)).rejects.toThrow(/weights.bin: checksum mismatch .* import the checkpoint again/);
  });

  it('runs through `deblur --model <id>`', async () => {
    const photo = join(work, 'photo.png');
    await sharp({ create: { width: 128, height: 128, channels: 3, background: '#808080' } })
      .png()
      .toFile(photo);
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [BIN, '--model', wrappedId, '--json', '-o', join(work, 'out.png'), photo],
        { env: { ...process.env, DEBLUR_MODELS_DIR: user, FORCE_COLOR: '0' } },
        (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(join(work, 'out.png'))).toBe(true);
  }, 120_000);

  it('lists, picks the default, shows and removes; the shipped default stays', async () => {
    const shipped = join(work, 'shipped');
    await cp(FIXTURE_DIR, join(shipped, 'lmdvit-fixture'), { recursive: true });
    await writeFile(join(shipped, 'lmdvit-fixture', 'MODEL_CARD.md'), '# Fixture card\n');
    const lines: string[] = [];
    const io = { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) };
    const cli = (...args: string[]) => runModelsCli(args, io, { shipped, user });
    const list = async () => {
      lines.length = 0;
      expect(await cli('list', '--json')).toBe(0);
      return JSON.parse(lines[0]!) as { id: string; source: string; default: boolean }[];
    };
    const before = await list();
    expect(before.map((e) => [e.id, e.source])).toEqual([
      ['lmdvit-fixture', 'shipped'],
      ['bare', 'imported'],
      [wrappedId, 'imported'],
    ]);
    expect(before.find((e) => e.default)?.id).toBe('lmdvit-fixture');
    expect(await cli('default', wrappedId)).toBe(0);
    expect((await list()).find((e) => e.default)?.id).toBe(wrappedId);
    lines.length = 0;
    expect(await cli('show', 'lmdvit-fixture')).toBe(0);
    expect(lines.join('\n')).toContain('# Fixture card');
    expect(await cli('verify', wrappedId)).toBe(0);
    lines.length = 0;
    expect(await cli('remove', 'lmdvit-fixture')).toBe(1);
    expect(lines.join('\n')).toContain('ships with the app and cannot be removed');
    // Nor can an import take a shipped model's id (it could be neither run nor removed).
    lines.length = 0;
    expect(await cli('import', join(ckpts, 'bare.pth'), '--id', 'lmdvit-fixture')).toBe(1);
    expect(lines.join('\n')).toContain('"lmdvit-fixture" is the id of a model that ships with the app');
    expect(await cli('remove', wrappedId)).toBe(0);
    const after = await list();
    expect(after.map((e) => e.id)).toEqual(['lmdvit-fixture', 'bare']);
    expect(after.find((e) => e.default)?.id).toBe('lmdvit-fixture');
  });
});

// The model manifest (docs/model-contract.md): schema, and loading a model folder with its checksum verified.
// Every model fact the engine uses (tile, multiple, threshold, tensor names) comes from here.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

export const manifestSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  version: z.string().min(1),
  /** "pruned" (the app's model) or "dense" (benchmarks only: image in, restored out). */
  variant: z.enum(['pruned', 'dense']).default('pruned'),
  architecture: z.looseObject({}),
  inputMultiple: positiveInt,
  defaultThreshold: z.number().min(0).max(1),
  recommendedTile: positiveInt,
  inputs: z.array(z.string()).min(1),
  outputs: z.array(z.string()).min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'sha256 must be 64 hex digits'),
  /** ONNX external-data files next to model.onnx (imported models' weights.bin), each checked at load. */
  externalData: z
    .array(
      z.object({
        path: z.string().regex(/^[\w.-]+$/, 'a plain file name in the model folder'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'sha256 must be 64 hex digits'),
      }),
    )
    .optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** The tensor names the pruned engine needs, in the contract's order. */
export const PRUNED_INPUTS = ['image', 'guide', 'threshold'] as const;
export const PRUNED_OUTPUTS = ['restored', 'confidence', 'decisions', 'kept_ratio'] as const;

export interface ModelDir {
  dir: string;
  modelPath: string;
  manifest: Manifest;
}

export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** Reads and validates `<dir>/manifest.json` and checks `<dir>/model.onnx` against its sha256. */
export async function loadModelDir(dir: string, options: { verify?: boolean } = {}): Promise<ModelDir> {
  const folder = resolve(dir);
  const manifestPath = join(folder, 'manifest.json');
  const modelPath = join(folder, 'model.onnx');
  const manifest = parseManifest(await readText(manifestPath), manifestPath);
  if (manifest.recommendedTile % manifest.inputMultiple !== 0) {
    throw new ModelError(
      `${manifestPath}: recommendedTile ${manifest.recommendedTile} is not a multiple of inputMultiple ${manifest.inputMultiple}`,
    );
  }
  await stat(modelPath).catch((error: unknown) => {
    throw new ModelError(`${modelPath}: model file not found`, { cause: error });
  });
  if (options.verify ?? true) {
    const actual = await sha256File(modelPath);
    if (actual !== manifest.sha256.toLowerCase()) {
      throw new ModelError(
        `${modelPath}: checksum mismatch (sha256 ${actual}, manifest says ${manifest.sha256}); ` +
          'the model file is damaged or was replaced: reinstall the model (an imported one: import its checkpoint ' +
          'again)',
      );
    }
    for (const file of manifest.externalData ?? []) {
      const path = join(folder, file.path);
      const sha = await sha256File(path).catch((error: unknown) => {
        throw new ModelError(`${path}: the model's weights file is missing`, { cause: error });
      });
      if (sha !== file.sha256.toLowerCase()) {
        throw new ModelError(
          `${path}: checksum mismatch (sha256 ${sha}, manifest says ${file.sha256}); ` +
            'the weights are damaged or were replaced: import the checkpoint again',
        );
      }
    }
  }
  return { dir: folder, modelPath, manifest };
}

/** Validates manifest JSON text; the message names the file and the offending fields. */
export function parseManifest(text: string, path = 'manifest.json'): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`${path}: not valid JSON`, { cause: error });
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ModelError(`${path}: invalid manifest (${problems.join('; ')})`);
  }
  return result.data;
}

/** Throws unless the manifest describes the pruned contract (image, guide, threshold in; four outputs). */
export function assertPruned(model: ModelDir): void {
  const { manifest } = model;
  const missing = [
    ...PRUNED_INPUTS.filter((name) => !manifest.inputs.includes(name)),
    ...PRUNED_OUTPUTS.filter((name) => !manifest.outputs.includes(name)),
  ];
  if (manifest.variant !== 'pruned' || missing.length > 0) {
    throw new ModelError(
      `${model.dir}: model "${manifest.id}" is a ${manifest.variant} variant` +
        (missing.length ? ` without ${missing.join(', ')}` : '') +
        '; the engine needs the pruned model (image, guide, threshold -> restored, confidence, decisions, kept_ratio)',
    );
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelError(`${path}: cannot read the model manifest`, { cause: error });
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

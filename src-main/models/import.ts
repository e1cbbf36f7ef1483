// Importing a PyTorch checkpoint (the official LMD-ViT release or one in its layout) into a runnable model
// folder: the template's model.onnx unchanged, weights.bin written from the checkpoint's tensors at the
// template's offsets, and a manifest with both files' sha256. No Python involved.
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadModelDir, sha256File } from '../inference/manifest';
import { CheckpointError, checkLayout, openCheckpoint } from './checkpoint';
import { shippedModelsDir } from '../paths';
import { userModelsDir } from './paths';
import { loadTemplate, OFFICIAL_TEMPLATE, type Template } from './template';

export interface ImportOptions {
  modelsDir?: string;
  /** The shipped models' folder: their ids are taken (default: the app's). */
  shippedDir?: string;
  id?: string;
  name?: string;
  template?: Template;
}

export interface ImportResult {
  id: string;
  dir: string;
  /** Top-level checkpoint entries that were not the state dict (ignored). */
  ignored: string[];
  checkpointSha256: string;
  seconds: number;
  /** True when this very file (same sha256) was imported before: nothing was written, `id` is that model. */
  existing?: boolean;
}

const ID = /^[a-z0-9][\w.-]*$/i;

/** Validates `file` against the official configuration and writes `<modelsDir>/<id>/`. */
export async function importCheckpoint(file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const template = options.template ?? loadTemplate(OFFICIAL_TEMPLATE);
  const modelsDir = options.modelsDir ?? userModelsDir();
  if (options.id !== undefined && !ID.test(options.id)) {
    throw new CheckpointError(`invalid model id "${options.id}" (letters, digits, '.', '_' and '-')`);
  }
  const checkpoint = openCheckpoint(file);
  let staging: string | undefined;
  try {
    checkLayout(checkpoint, template.tensors, template.config);
    const expectedIndex = template.relativePositionIndex;
    for (const entry of template.tensors) {
      if (entry.dtype !== 'int64') continue;
      const bytes = checkpoint.bytes(checkpoint.tensors.get(entry.key)!);
      const values = new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
      if (values.length !== expectedIndex.length || values.some((v, i) => v !== BigInt(expectedIndex[i]!))) {
        throw new CheckpointError(
          `${file}: ${entry.key} is not the relative position index of ${template.config}'s 8x8 windows`,
        );
      }
    }

    const checkpointSha = await sha256File(file);
    const found = importedAs(modelsDir, checkpointSha);
    let existing = found;
    let repair: string | undefined;
    const mine = found !== undefined && (options.id === undefined || options.id === found);
    if (mine && !(await intact(join(modelsDir, found)))) {
      // Damaged since (a file changed or went missing): the import is done again under its id, the broken copy
      // removed first, as its load error advises.
      await rm(join(modelsDir, found), { recursive: true, force: true });
      repair = found;
      existing = undefined;
    }
    if (existing && options.id === undefined) {
      return {
        id: existing,
        dir: join(modelsDir, existing),
        ignored: checkpoint.ignored,
        checkpointSha256: checkpointSha,
        seconds: (performance.now() - started) / 1000,
        existing: true,
      };
    }

    await mkdir(modelsDir, { recursive: true });
    // A shipped model's id is taken too: the registry lists the shipped one, so an import under its id
    // could be neither run nor removed.
    const shippedDir = options.shippedDir ?? shippedModelsDir();
    const taken = (id: string) => existsSync(join(modelsDir, id)) || existsSync(join(shippedDir, id));
    const id =
      options.id ?? repair ?? uniqueId(taken, slug(basename(file).replace(/\.(pth|pt|ckpt|tar)$/i, '')));
    if (existsSync(join(shippedDir, id))) {
      throw new CheckpointError(`"${id}" is the id of a model that ships with the app; pass another --id`);
    }
    if (taken(id)) {
      throw new CheckpointError(`a model "${id}" already exists in ${modelsDir}; pass another --id`);
    }
    staging = join(modelsDir, `.import-${id}-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);

    const weightsPath = join(staging, template.weightsFile);
    const fd = openSync(weightsPath, 'w');
    try {
      for (const entry of template.tensors) {
        const bytes = checkpoint.bytes(checkpoint.tensors.get(entry.key)!);
        if (bytes.length !== entry.length) throw new CheckpointError(`${file}: ${entry.key} has the wrong size`);
        if (entry.dtype === 'float32') assertFinite(bytes, `${file}: ${entry.key}`);
        let done = 0;
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, entry.offset + done);
      }
      ftruncateSync(fd, template.weightsBytes);
    } finally {
      closeSync(fd);
    }
    await copyFile(template.modelPath, join(staging, 'model.onnx'));
    const [weightsSha, modelSha] = await Promise.all([
      sha256File(weightsPath),
      sha256File(join(staging, 'model.onnx')),
    ]);
    if (modelSha !== template.modelSha256) {
      throw new Error(`the shipped template ${template.dir} is damaged (sha256 mismatch): reinstall the app`);
    }
    const manifest = {
      ...template.manifest,
      id,
      name: options.name ?? `${template.config} (imported ${basename(file)})`,
      sha256: modelSha,
      source: 'imported',
      weights: `${basename(file)} (sha256 ${checkpointSha})`,
      externalData: [{ path: template.weightsFile, sha256: weightsSha, bytes: template.weightsBytes }],
      importedAt: new Date().toISOString(),
      default: false,
      graphCache: true,
      metrics: {},
    };
    await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await writeFile(join(staging, 'MODEL_CARD.md'), modelCard(manifest, file, checkpoint.ignored));
    const dir = join(modelsDir, id);
    await rename(staging, dir);
    staging = undefined;
    return {
      id,
      dir,
      ignored: checkpoint.ignored,
      checkpointSha256: checkpointSha,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    checkpoint.close();
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

/** Refuses NaN and infinite weights (the network would produce NaN images). */
function assertFinite(bytes: Buffer, what: string): void {
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  let bad = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) bad++;
  if (bad) throw new CheckpointError(`${what} holds ${bad} non-finite values (NaN or infinity)`);
}

/** Whether a model folder loads with its checksums verified. */
function intact(dir: string): Promise<boolean> {
  return loadModelDir(dir).then(
    () => true,
    () => false,
  );
}

/** The id of an imported model made from the checkpoint with this sha256, if any. */
function importedAs(modelsDir: string, checkpointSha: string): string | undefined {
  if (!existsSync(modelsDir)) return undefined;
  for (const name of readdirSync(modelsDir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(modelsDir, name, 'manifest.json'), 'utf8')) as {
        source?: unknown;
        weights?: unknown;
      };
      if (manifest.source === 'imported' && String(manifest.weights).includes(`(sha256 ${checkpointSha})`)) {
        return name;
      }
    } catch {
      // not a model folder
    }
  }
  return undefined;
}

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return s || 'imported';
}

function uniqueId(taken: (id: string) => boolean, base: string): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}

function modelCard(manifest: Record<string, unknown>, file: string, ignored: string[]): string {
  return [
    `# ${String(manifest.name)}`,
    '',
    `Imported by Deblur Studio on ${String(manifest.importedAt)} from \`${basename(file)}\`.`,
    '',
    `- Checkpoint: ${String(manifest.weights)}`,
    '- Network: LMD-ViT in the official configuration (54,549,163 parameters; every key and shape checked).',
    `- Graph: the app's ${OFFICIAL_TEMPLATE} template; the weights are in weights.bin (sha256 in manifest.json).`,
    ignored.length ? `- Ignored checkpoint entries: ${ignored.join(', ')}.` : '- The file held only the state dict.',
    '',
    "Quality: the paper reports 35.43 dB PSNR on ReLoBlur for the authors' released checkpoint",
    '(model_LMDVIT.pth); other weights in the same layout are not measured here (npm run eval measures).',
    '',
  ].join('\n');
}

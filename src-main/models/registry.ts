// The model registry: shipped models (the app's models/ folder, read-only) and the user's imported models
// (userModelsDir()), the user's default choice (`default.json` in the user folder), removal and model cards.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModelDir, type ModelDir } from '../inference/manifest';
import { shippedModelsDir } from '../paths';
import { userModelsDir } from './paths';

/** The app's shipped models/ folder (the repository's, or the installed app's). */
export const SHIPPED_MODELS_ROOT = shippedModelsDir();

export interface RegistryRoots {
  shipped?: string;
  user?: string;
}

export interface ModelEntry {
  id: string;
  name: string;
  dir: string;
  source: 'shipped' | 'imported';
  variant: string;
  default: boolean;
  defaultThreshold: number | undefined;
  manifest: Record<string, unknown>;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

const DEFAULT_FILE = 'default.json';

function roots(options: RegistryRoots): Required<RegistryRoots> {
  return { shipped: options.shipped ?? SHIPPED_MODELS_ROOT, user: options.user ?? userModelsDir() };
}

/**
 * The model folders in `root` (each with model.onnx and a readable manifest.json), by id; dot-folders (an
 * import's staging folder) are not models.
 */
export function modelsIn(root: string, source: ModelEntry['source']): ModelEntry[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .flatMap((name) => {
      const dir = join(root, name);
      try {
        if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'model.onnx'))) return [];
        const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
        return [
          {
            id: name,
            name: typeof manifest.name === 'string' ? manifest.name : name,
            dir,
            source,
            variant: typeof manifest.variant === 'string' ? manifest.variant : 'pruned',
            default: false,
            defaultThreshold: typeof manifest.defaultThreshold === 'number' ? manifest.defaultThreshold : undefined,
            manifest,
          },
        ];
      } catch {
        return [];
      }
    });
}

/** The id the user picked (`deblur models default <id>`), if any. */
export function chosenDefault(userRoot = userModelsDir()): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(userRoot, DEFAULT_FILE), 'utf8')) as { id?: unknown };
    return typeof json.id === 'string' ? json.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * THE default-model rule, the only one: `deblur models list` marks what it returns, the app's Models tab, model
 * picker, restore and batch use it, and so do `deblur <photo>`, `deblur batch` and `deblur scan` without
 * --model (restore/resolveModelDir). `entries` in listModels' order (shipped, then imported, each by id):
 * 1. the user's choice (`chosen`, from default.json) while it is installed;
 * 2. else the shipped model whose manifest says `"default": true`;
 * 3. else an imported (user-folder) model whose manifest says `"default": true` (an export made with --default);
 * 4. else the first model: a shipped one before an imported one.
 * Dense (benchmark) variants never are, not even when chosen.
 */
export function pickDefault(entries: readonly ModelEntry[], chosen?: string): ModelEntry | undefined {
  const pruned = entries.filter((e) => e.variant !== 'dense');
  return (
    pruned.find((e) => chosen !== undefined && e.id === chosen) ??
    pruned.find((e) => e.source === 'shipped' && e.manifest.default === true) ??
    pruned.find((e) => e.manifest.default === true) ??
    pruned[0]
  );
}

/** Every model, shipped first (an imported model with a shipped one's id is hidden); pickDefault's is marked. */
export function listModels(options: RegistryRoots = {}): ModelEntry[] {
  const r = roots(options);
  const shippedIds = new Set<string>();
  const entries = [
    ...modelsIn(r.shipped, 'shipped').map((e) => (shippedIds.add(e.id), e)),
    ...modelsIn(r.user, 'imported').filter((e) => !shippedIds.has(e.id)),
  ];
  const pick = pickDefault(entries, chosenDefault(r.user));
  if (pick) pick.default = true;
  return entries;
}

/** The default model (pickDefault over listModels), undefined while none is installed. */
export function defaultModel(options: RegistryRoots = {}): ModelEntry | undefined {
  return listModels(options).find((e) => e.default);
}

export function findModel(id: string, options: RegistryRoots = {}): ModelEntry {
  const entries = listModels(options);
  const entry = entries.find((e) => e.id === id);
  if (!entry) {
    throw new RegistryError(
      `model "${id}" not found (installed: ${entries.map((e) => e.id).join(', ') || 'none'})`,
    );
  }
  return entry;
}

export async function setDefault(id: string, options: RegistryRoots = {}): Promise<ModelEntry> {
  const entry = findModel(id, options);
  if (entry.variant === 'dense') {
    throw new RegistryError(`model "${id}" is a dense benchmark variant and cannot be the default`);
  }
  // A damaged or replaced model would only fail at the next photo, by then the one every command runs.
  await verifyModel(entry);
  const user = roots(options).user;
  await mkdir(user, { recursive: true });
  await writeFile(join(user, DEFAULT_FILE), JSON.stringify({ id }) + '\n');
  return { ...entry, default: true };
}

/** Removes an imported model; shipped models stay. Clears the default choice if it named this model. */
export async function removeModel(id: string, options: RegistryRoots = {}): Promise<ModelEntry> {
  const entry = findModel(id, options);
  if (entry.source === 'shipped') {
    throw new RegistryError(`model "${id}" ships with the app and cannot be removed`);
  }
  await rm(entry.dir, { recursive: true, force: true });
  const user = roots(options).user;
  if (chosenDefault(user) === id) await rm(join(user, DEFAULT_FILE), { force: true });
  return entry;
}

/** The model's card (MODEL_CARD.md) if it has one. */
export function modelCard(entry: ModelEntry): string | undefined {
  try {
    return readFileSync(join(entry.dir, 'MODEL_CARD.md'), 'utf8');
  } catch {
    return undefined;
  }
}

/** Loads the folder with every checksum verified (model.onnx and its external data). */
export function verifyModel(entry: ModelEntry): Promise<ModelDir> {
  return loadModelDir(entry.dir, { verify: true });
}

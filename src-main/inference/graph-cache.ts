// The optimised-graph cache: onnxruntime's graph optimisation of a large model takes seconds at every session
// creation. For models whose manifest opts in (`"graphCache": true`, set by the importer), the first CPU
// session writes ORT's optimised graph next to model.onnx (it refers to the same external-data files, so it
// must live in the model folder); later sessions open it with optimisation disabled. The cache file is keyed
// by the model's checksums, the onnxruntime version and the machine, and its own sha256 (in a sidecar) is
// checked before use, so integrity holds as for model.onnx. Any problem: the cache is dropped and rebuilt.
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { sha256File, type ModelDir } from './manifest';

export interface GraphCache {
  /** The cached optimised graph, present and verified. */
  ready: boolean;
  path: string;
  /** Where ORT writes the optimised graph on the first open (then `commit()`). */
  pendingPath: string;
  commit(): Promise<void>;
  drop(): void;
}

const PREFIX = 'model.optimized-';

/** The cache for `model` on `provider`, or undefined when the model does not opt in or its folder is read-only. */
export async function graphCache(model: ModelDir, provider: string): Promise<GraphCache | undefined> {
  if (model.manifest.graphCache !== true || provider !== 'cpu') return undefined;
  try {
    accessSync(model.dir, constants.W_OK);
  } catch {
    return undefined;
  }
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        model.manifest.sha256,
        model.manifest.externalData ?? [],
        ort.env.versions.common,
        platform(),
        arch(),
        cpus()[0]?.model ?? '', // the optimised CPU graph is specific to the CPU's vector width
        provider,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  const path = join(model.dir, `${PREFIX}${key}.onnx`);
  const sidecar = `${path}.sha256`;
  const pendingPath = `${path}.tmp`;
  const drop = () => {
    for (const name of readdirSync(model.dir)) {
      if (name.startsWith(PREFIX)) rmSync(join(model.dir, name), { force: true });
    }
  };
  let ready = false;
  if (existsSync(path) && existsSync(sidecar)) {
    ready = readFileSync(sidecar, 'utf8').trim() === (await sha256File(path));
    if (!ready) drop();
  } else {
    drop(); // stale caches of other keys, or a half-written one
  }
  return {
    ready,
    path,
    pendingPath,
    drop,
    async commit() {
      if (!existsSync(pendingPath)) return;
      writeFileSync(sidecar, (await sha256File(pendingPath)) + '\n');
      renameSync(pendingPath, path);
    },
  };
}

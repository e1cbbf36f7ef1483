// ORT sessions: one per model folder, provider and thread count, proven by a warm-up run before use.
// A GPU provider that cannot load or run falls back to the CPU with a reason the user can act on.
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { diagnoseCuda } from './cuda-diagnosis';
import { graphCache } from './graph-cache';
import { ModelError, PRUNED_INPUTS, PRUNED_OUTPUTS, assertPruned, type ModelDir } from './manifest';
import { explainProviderFailure, providerOrder, type Device, type Provider } from './providers';

export interface SessionOptions {
  device?: Device;
  /**
   * ORT intra-op threads. Default: 1 on machines with 2 cores or fewer (measured faster and steadier than 2
   * there, see ../shared/docs/design.md), otherwise half the cores (the other half keeps the app and decoding fluid).
   */
  threads?: number;
}

export interface EngineSession {
  session: ort.InferenceSession;
  model: ModelDir;
  provider: Provider;
  /** Why a better provider was not used (undefined when the first choice worked or the CPU was asked for). */
  fallbackReason: string | undefined;
  threads: number;
}

export function defaultThreads(cores = availableParallelism()): number {
  return cores <= 2 ? 1 : Math.max(1, Math.floor(cores / 2));
}

// Provider load failures are reported by us, in words; onnxruntime's own error log would only add noise.
ort.env.logLevel = 'fatal';

const cache = new Map<string, Promise<EngineSession>>();

/** A ready session (cached per model folder, device and threads). */
export function getSession(model: ModelDir, options: SessionOptions = {}): Promise<EngineSession> {
  const device = options.device ?? 'auto';
  const threads = options.threads ?? defaultThreads();
  const key = `${model.dir}\0${device}\0${threads}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = openSession(model, device, threads);
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

/** Releases every cached session (those a job holds once it lets go: see holdSession). */
export async function releaseSessions(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  await release(entries);
}

/** Drops the cached sessions of one model folder (removed or replaced on disk); its next job opens it afresh. */
export async function releaseSessionsOf(modelDir: string): Promise<void> {
  const entries: Promise<EngineSession>[] = [];
  for (const [key, entry] of cache) {
    if (!key.startsWith(`${modelDir}\0`)) continue;
    cache.delete(key);
    entries.push(entry);
  }
  await release(entries);
}

// The jobs holding each session (getSession's promise), and the dropped sessions to release when the last of
// them lets go: releasing a session under a running job would fail it, and leaving it to the garbage
// collector keeps its memory. Holding the promise, not the session, covers a release that comes while it opens.
const holders = new Map<Promise<EngineSession>, number>();
const retired = new Set<Promise<EngineSession>>();

/** Marks a session from getSession as used by a job until the returned function is called (once). */
export function holdSession(entry: Promise<EngineSession>): () => Promise<void> {
  holders.set(entry, (holders.get(entry) ?? 0) + 1);
  let held = true;
  return async () => {
    if (!held) return;
    held = false;
    const left = holders.get(entry)! - 1;
    if (left > 0) return void holders.set(entry, left);
    holders.delete(entry);
    if (retired.delete(entry)) await release([entry]);
  };
}

async function release(entries: Promise<EngineSession>[]): Promise<void> {
  for (const entry of entries) {
    if (holders.has(entry)) {
      retired.add(entry);
      continue;
    }
    const ready = await entry.catch(() => undefined);
    await ready?.session.release();
  }
}

async function openSession(model: ModelDir, device: Device, threads: number): Promise<EngineSession> {
  assertPruned(model);
  const reasons: string[] = [];
  for (const provider of providerOrder(device)) {
    let session: ort.InferenceSession | undefined;
    try {
      session = await createSession(model, provider, threads);
      await warmUp(session, model);
      const fallbackReason = reasons.length ? reasons.join(' ') : undefined;
      return { session, model, provider, fallbackReason, threads };
    } catch (error) {
      await session?.release().catch(() => undefined);
      if (error instanceof ModelError) throw error;
      if (provider === 'cpu') {
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`${model.modelPath}: the model could not run on the CPU: ${detail}`, {
          cause: error,
        });
      }
      const diagnosis = provider === 'cuda' ? diagnoseCuda() : undefined;
      reasons.push(explainProviderFailure(provider, error, process.platform, diagnosis));
    }
  }
  throw new Error(`no execution provider could run ${model.modelPath}`);
}

/** A session on the cached optimised graph when there is one (see graph-cache.ts), else on model.onnx. */
async function createSession(
  model: ModelDir,
  provider: Provider,
  threads: number,
): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  const cache = await graphCache(model, provider).catch(() => undefined);
  if (cache?.ready) {
    try {
      return await ort.InferenceSession.create(cache.path, {
        ...options,
        graphOptimizationLevel: 'disabled',
      });
    } catch {
      cache.drop(); // unusable (another onnxruntime build, a damaged file): rebuild from model.onnx
    }
  }
  if (!cache) return ort.InferenceSession.create(model.modelPath, options);
  const session = await ort.InferenceSession.create(model.modelPath, {
    ...options,
    optimizedModelFilePath: cache.pendingPath,
  });
  await cache.commit().catch(() => cache.drop());
  return session;
}

/** Runs the smallest valid input (one multiple square, auto guide) to prove the provider works. */
async function warmUp(session: ort.InferenceSession, model: ModelDir): Promise<void> {
  const missing = [
    ...PRUNED_INPUTS.filter((name) => !session.inputNames.includes(name)),
    ...PRUNED_OUTPUTS.filter((name) => !session.outputNames.includes(name)),
  ];
  if (missing.length) {
    throw new ModelError(
      `${model.modelPath}: the ONNX graph lacks ${missing.join(', ')} (see the model contract)`,
    );
  }
  const size = model.manifest.inputMultiple;
  const outputs = await session.run({
    image: new ort.Tensor('float32', new Float32Array(3 * size * size).fill(0.5), [1, 3, size, size]),
    guide: new ort.Tensor('float32', new Float32Array(size * size), [1, 1, size, size]),
    threshold: new ort.Tensor('float32', Float32Array.of(model.manifest.defaultThreshold), []),
  });
  try {
    const wrong = PRUNED_OUTPUTS.filter((name) => !contractShape(name, outputs[name]!, size));
    if (wrong.length) {
      const got = wrong.map((name) => `${name} ${outputs[name]!.type} [${outputs[name]!.dims.join(',')}]`);
      throw new ModelError(
        `${model.modelPath}: outputs for a ${size}x${size} image do not follow the model contract: ` +
          `${got.join('; ')} (docs/model-contract.md)`,
      );
    }
  } finally {
    for (const value of Object.values(outputs)) value.dispose();
  }
}

/** An output's type and shape for a size x size input, as docs/model-contract.md gives them. */
function contractShape(name: (typeof PRUNED_OUTPUTS)[number], value: ort.Tensor, size: number): boolean {
  const d = value.dims;
  if (value.type !== 'float32') return false;
  switch (name) {
    case 'restored':
    case 'confidence':
      return (
        d.length === 4 &&
        d[0] === 1 &&
        d[1] === (name === 'restored' ? 3 : 1) &&
        d[2] === size &&
        d[3] === size
      );
    case 'decisions':
      return d.length === 4 && d[0] === 1 && d[1]! >= 1 && d[2]! >= 1 && d[2] === d[3] && size % d[2]! === 0;
    case 'kept_ratio':
      return value.size === 1;
  }
}

export interface TileOutputs {
  restored: Float32Array;
  confidence: Float32Array;
  decisions: Float32Array;
  /** [1, maps, H/factor, W/factor] */
  decisionDims: readonly number[];
  keptRatio: number;
}

/** One forward pass on planar float32 tensors of `width` x `height` (multiples of the manifest's multiple). */
export async function runTile(
  engine: EngineSession,
  image: Float32Array,
  guide: Float32Array,
  width: number,
  height: number,
  threshold: number,
): Promise<TileOutputs> {
  const feeds = {
    image: new ort.Tensor('float32', image, [1, 3, height, width]),
    guide: new ort.Tensor('float32', guide, [1, 1, height, width]),
    threshold: new ort.Tensor('float32', Float32Array.of(threshold), []),
  };
  const out = await engine.session.run(feeds);
  const result: TileOutputs = {
    restored: out.restored!.data as Float32Array,
    confidence: out.confidence!.data as Float32Array,
    decisions: out.decisions!.data as Float32Array,
    decisionDims: out.decisions!.dims,
    keptRatio: (out.kept_ratio!.data as Float32Array)[0]!,
  };
  return result;
}

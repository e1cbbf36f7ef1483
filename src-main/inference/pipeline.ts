// The restore pipeline: pixels + guide -> tiles -> model -> smooth blend -> strength -> clamp, with protected
// pixels put back exactly. Tiles run one row of tiles at a time and the blend is streamed through a band
// buffer one tile high, so memory stays near the size of the 8/16-bit input and output (no full-size float copy).
import type { ModelDir } from './manifest';
import { getSession, type EngineSession, type SessionOptions, type TileOutputs } from './session';
import { cropMap, cropToPlanar, maxValue, quantize, type RgbImage } from './tensors';
import { TileRunner } from './tile-runner';
import { isFullyProtected, planTiles, type Tile, type TilePlan } from './tiler';

export interface RestoreInput {
  pixels: RgbImage;
  /** Row-major guide at image size: +1 force, -1 protect, 0 auto. Absent: all auto. */
  guide?: Float32Array | undefined;
  /** tau in [0,1]; default: the manifest's defaultThreshold. */
  threshold?: number | undefined;
  /** s in [0,1]: out = input + s * (restored - input). Default 1. */
  strength?: number | undefined;
  /** Tile edge; default: the manifest's recommendedTile. */
  tile?: number | undefined;
  /** Also assemble the confidence and decision maps (default true); 'decisions': only the decision maps, which
   * are small (no full-size confidence array). */
  maps?: MapsChoice | undefined;
}

export type MapsChoice = boolean | 'decisions';

export interface DecisionMaps {
  /** Number of maps (one per stage: 9 for LMD-ViT). */
  count: number;
  /** Grid size: ceil(image / factor), factor = 8 for LMD-ViT. */
  width: number;
  height: number;
  factor: number;
  /** count x height x width, planar; 1 = processed, fractions where overlapping tiles disagree. */
  data: Float32Array;
}

export interface Progress {
  done: number;
  total: number;
  skipped: number;
}

export interface RestoreResult {
  pixels: RgbImage;
  /** Per-pixel blurriness confidence at image size (undefined unless maps is true). */
  confidence: Float32Array | undefined;
  decisions: DecisionMaps | undefined;
  /** Share of window computations performed, averaged over tiles weighted by tile area (skipped tiles: 0). */
  keptRatio: number;
  tiles: { total: number; run: number; skipped: number; size: number };
  provider: EngineSession['provider'];
  fallbackReason: string | undefined;
  threshold: number;
  seconds: number;
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

export interface PipelineOptions extends SessionOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
}

export async function restore(
  model: ModelDir,
  input: RestoreInput,
  options: PipelineOptions = {},
): Promise<RestoreResult> {
  const started = performance.now();
  const engine = await TileRunner.open(getSession(model, options), () =>
    getSession(model, { ...options, device: 'cpu' }),
  );
  try {
    return await runTiles(engine, model, input, options, started);
  } finally {
    await engine.close();
  }
}

async function runTiles(
  engine: TileRunner,
  model: ModelDir,
  input: RestoreInput,
  options: PipelineOptions,
  started: number,
): Promise<RestoreResult> {
  const { manifest } = model;
  const threshold = checkUnit('threshold', input.threshold ?? manifest.defaultThreshold);
  const strength = checkUnit('strength', input.strength ?? 1);
  const { width, height } = input.pixels;
  if (input.pixels.data.length !== width * height * 3) throw new RangeError('pixels do not match the size');
  if (input.guide && input.guide.length !== width * height)
    throw new RangeError('guide does not match the size');
  const plan = planTiles(width, height, {
    multiple: manifest.inputMultiple,
    tile: input.tile ?? manifest.recommendedTile,
  });
  const blend = new Blender(input, plan, strength, input.maps ?? true);
  let run = 0;
  let skipped = 0;
  let keptSum = 0;
  let areaSum = 0;
  for (const [row, y] of plan.ys.entries()) {
    for (const tile of plan.tiles.filter((t) => t.row === row)) {
      if (options.signal?.aborted) throw new CancelledError();
      const area = tile.width * tile.height;
      areaSum += area;
      if (isFullyProtected(input.guide, plan, tile)) {
        blend.addSkipped(tile);
        skipped++;
      } else {
        const outputs = await inferTile(engine, input, tile, threshold);
        keptSum += outputs.keptRatio * area;
        blend.add(tile, outputs);
        run++;
      }
      options.onProgress?.({ done: run + skipped, total: plan.tiles.length, skipped });
    }
    blend.finishRows(y, plan.ys[row + 1] ?? plan.paddedHeight);
  }
  return {
    pixels: blend.output,
    confidence: blend.confidence,
    decisions: blend.decisionMaps(manifest.architecture),
    keptRatio: areaSum ? keptSum / areaSum : 0,
    tiles: { total: plan.tiles.length, run, skipped, size: Math.max(plan.tileWidth, plan.tileHeight) },
    provider: engine.provider,
    fallbackReason: engine.fallbackReason,
    threshold,
    seconds: (performance.now() - started) / 1000,
  };
}

function checkUnit(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

async function inferTile(engine: TileRunner, input: RestoreInput, tile: Tile, threshold: number) {
  const { x, y, width, height } = tile;
  const image = cropToPlanar(input.pixels, x, y, width, height);
  const { width: w, height: h } = input.pixels;
  // The padding is not image: it gets protect (-1), the guide's minimum, so each window's maximum is that of its
  // image area, as the contract says: a stroke at the edge is not mirrored into the padding, and a window whose
  // image part is all protected is dropped.
  const guide = input.guide
    ? cropMap(input.guide, w, h, x, y, width, height, -1)
    : new Float32Array(width * height);
  return engine.run(image, guide, width, height, threshold);
}

/** Accumulates weighted tiles in a band one tile high and writes finished rows to the output. */
class Blender {
  readonly output: RgbImage;
  readonly confidence: Float32Array | undefined;
  private decisions: Float32Array | undefined;
  private decisionShape = { count: 0, factor: 0, width: 0, height: 0 };
  private readonly band: Float32Array;
  private readonly bandConfidence: Float32Array | undefined;
  private bandTop = 0;
  private readonly max: number;

  constructor(
    private readonly input: RestoreInput,
    private readonly plan: TilePlan,
    private readonly strength: number,
    private readonly maps: MapsChoice,
  ) {
    const { width, height, data } = input.pixels;
    this.max = maxValue(data);
    const Samples = data instanceof Uint16Array ? Uint16Array : Uint8Array;
    this.output = { width, height, data: new Samples(width * height * 3) };
    this.confidence = maps === true ? new Float32Array(width * height) : undefined;
    this.band = new Float32Array(plan.tileHeight * plan.paddedWidth * 3);
    this.bandConfidence = maps === true ? new Float32Array(plan.tileHeight * plan.paddedWidth) : undefined;
  }

  add(tile: Tile, out: TileOutputs): void {
    const { plan } = this;
    const wx = plan.weightX[tile.col]!;
    const wy = plan.weightY[tile.row]!;
    const plane = tile.width * tile.height;
    const pw = plan.paddedWidth;
    const band = this.band;
    const conf = this.bandConfidence;
    for (let j = 0; j < tile.height; j++) {
      const bandRow = (tile.y + j - this.bandTop) * pw + tile.x;
      for (let i = 0; i < tile.width; i++) {
        const w = wy[j]! * wx[i]!;
        const s = j * tile.width + i;
        const b = (bandRow + i) * 3;
        band[b] = band[b]! + w * out.restored[s]!;
        band[b + 1] = band[b + 1]! + w * out.restored[plane + s]!;
        band[b + 2] = band[b + 2]! + w * out.restored[2 * plane + s]!;
        if (conf) conf[bandRow + i] = conf[bandRow + i]! + w * out.confidence[s]!;
      }
    }
    if (this.maps) this.addDecisions(tile, out.decisions, out.decisionDims);
  }

  /** A tile that did not run contributes the input itself (its pixels are all protected anyway). */
  addSkipped(tile: Tile): void {
    const planar = cropToPlanar(this.input.pixels, tile.x, tile.y, tile.width, tile.height);
    const plane = tile.width * tile.height;
    const zeros = new Float32Array(plane);
    this.add(tile, {
      restored: planar,
      confidence: zeros,
      decisions: new Float32Array(0),
      decisionDims: [1, 0, 0, 0],
      keptRatio: 0,
    });
  }

  private addDecisions(tile: Tile, decisions: Float32Array, dims: readonly number[]): void {
    const [, count = 0, gh = 0, gw = 0] = dims;
    if (count === 0) return; // skipped tile: no decision (0 = not processed)
    if (!this.decisions) {
      const factor = tile.width / gw;
      const width = this.plan.paddedWidth / factor;
      const height = this.plan.paddedHeight / factor;
      this.decisionShape = { count, factor, width, height };
      this.decisions = new Float32Array(count * width * height);
    }
    const { factor, width, height } = this.decisionShape;
    const wx = this.plan.weightX[tile.col]!;
    const wy = this.plan.weightY[tile.row]!;
    const half = Math.floor(factor / 2);
    const target = this.decisions;
    for (let k = 0; k < count; k++) {
      for (let j = 0; j < gh; j++) {
        const gy = tile.y / factor + j;
        for (let i = 0; i < gw; i++) {
          const w = wy[j * factor + half]! * wx[i * factor + half]!;
          const gx = tile.x / factor + i;
          const d = (k * height + gy) * width + gx;
          target[d] = target[d]! + w * decisions[(k * gh + j) * gw + i]!;
        }
      }
    }
  }

  /** Rows [top, next) are final: write them out, then slide the band down to start at `next`. */
  finishRows(top: number, next: number): void {
    const { width, height, data } = this.input.pixels;
    const pw = this.plan.paddedWidth;
    const { guide } = this.input;
    const out = this.output.data;
    for (let y = top; y < Math.min(next, height); y++) {
      const bandRow = (y - this.bandTop) * pw;
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const b = (bandRow + x) * 3;
        if (this.confidence) this.confidence[p] = this.bandConfidence![bandRow + x]!;
        if (guide && guide[p]! < -0.5) {
          out[p * 3] = data[p * 3]!;
          out[p * 3 + 1] = data[p * 3 + 1]!;
          out[p * 3 + 2] = data[p * 3 + 2]!;
          continue;
        }
        for (let c = 0; c < 3; c++) {
          const original = data[p * 3 + c]! / this.max;
          out[p * 3 + c] = quantize(original + this.strength * (this.band[b + c]! - original), this.max);
        }
      }
    }
    const keep = (next - this.bandTop) * pw;
    this.band.copyWithin(0, keep * 3).fill(0, this.band.length - keep * 3);
    this.bandConfidence?.copyWithin(0, keep).fill(0, this.bandConfidence.length - keep);
    this.bandTop = next;
  }

  /** The run's maps; when no tile ran (everything protected), every window unprocessed. */
  decisionMaps(architecture: unknown): DecisionMaps | undefined {
    if (!this.maps) return undefined;
    const { width, height } = this.input.pixels;
    const { count, factor } = this.decisionShape;
    if (!this.decisions) return unprocessedMaps(architecture, width, height);
    const gw = Math.ceil(width / factor);
    const gh = Math.ceil(height / factor);
    const data = new Float32Array(count * gw * gh);
    for (let k = 0; k < count; k++) {
      for (let y = 0; y < gh; y++) {
        const from = (k * this.decisionShape.height + y) * this.decisionShape.width;
        data.set(this.decisions.subarray(from, from + gw), (k * gh + y) * gw);
      }
    }
    return { count, width: gw, height: gh, factor, data };
  }
}

/**
 * Decision maps with every window unprocessed (0), shaped from a manifest's architecture: one map per stage in
 * `depths`, on stage 0's window grid. Count 0 when the manifest does not say.
 */
export function unprocessedMaps(architecture: unknown, width: number, height: number): DecisionMaps {
  const { depths, window } = (architecture ?? {}) as { depths?: unknown; window?: unknown };
  if (!Array.isArray(depths) || typeof window !== 'number' || !(window >= 1)) {
    return { count: 0, width: 0, height: 0, factor: 0, data: new Float32Array(0) };
  }
  const [gw, gh] = [Math.ceil(width / window), Math.ceil(height / window)];
  return {
    count: depths.length,
    width: gw,
    height: gh,
    factor: window,
    data: new Float32Array(depths.length * gw * gh),
  };
}

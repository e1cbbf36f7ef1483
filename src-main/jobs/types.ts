// Plain data of the jobs service: the batch request, its plan, the events it emits and the final summary.
import type { BitDepth, PhotoFormat } from '../imaging';
import type { Device } from '../inference';
import type { OutputSettings } from './settings';

export const ON_EXISTING = ['skip', 'rename', 'overwrite-outputs'] as const;
/** What to do when an output file already exists and this batch did not write it. */
export type OnExisting = (typeof ON_EXISTING)[number];

export const DEFAULT_NAME_TEMPLATE = '{name}-deblurred';

export interface BatchRequest {
  /** Folders and/or photos. */
  inputs: string[];
  /** Output folder; the folder structure of each input folder is mirrored in it. */
  output: string;
  /** Walk sub-folders of input folders (default false: the folder's own files only). */
  recursive?: boolean | undefined;
  /** Output file name without extension; `{name}` (input name without extension), `{ext}` (its extension). */
  name?: string | undefined;
  /** Output format; default: each input's own format. */
  format?: PhotoFormat | undefined;
  quality?: number | undefined;
  bitDepth?: BitDepth | undefined;
  /** Default 'skip'. */
  onExisting?: OnExisting | undefined;
  modelDir: string;
  device?: Device | undefined;
  threads?: number | undefined;
  tile?: number | undefined;
  threshold?: number | undefined;
  strength?: number | undefined;
}

/** One photo the batch will restore. */
export interface PlannedPhoto {
  input: string;
  output: string;
  format: PhotoFormat;
  /** The sidecar mask `<photo>.mask.png`, when present. */
  mask: string | undefined;
  /** The output existed when planned and this plan may replace it (its own earlier output, or
   * --on-existing overwrite-outputs). Otherwise a file that appears there during the batch is left alone. */
  replaces: boolean;
  /** What its output depends on, recorded with its `done` (planBatch always sets it). */
  settings?: OutputSettings | undefined;
  /** Why an output an earlier run finished is restored again (its settings changed); undefined otherwise. */
  redo?: string | undefined;
}

/** A photo finished by an earlier run of the same batch (from the journal). */
export interface ResumedPhoto {
  input: string;
  output: string;
  keptRatio: number | undefined;
  meanConfidence: number | undefined;
}

export interface SkippedFile {
  input: string;
  reason: string;
}

export interface BatchPlan {
  request: BatchRequest;
  outputRoot: string;
  journalPath: string;
  photos: PlannedPhoto[];
  resumed: ResumedPhoto[];
  skipped: SkippedFile[];
}

export type PhotoStatus = 'done' | 'resumed' | 'skipped' | 'failed';

/** One line of the report: small, so hundreds of them stay cheap. */
export interface PhotoOutcome {
  input: string;
  status: PhotoStatus;
  output?: string | undefined;
  reason?: string | undefined;
  /** Share of window computations the model chose to run (its pruning decisions), 0..1. */
  keptRatio?: number | undefined;
  /** Mean of the model's per-pixel blur confidence, 0..1. */
  meanConfidence?: number | undefined;
  seconds?: number | undefined;
  warnings?: string[] | undefined;
}

export interface BatchProgress {
  type: 'progress';
  /** Photos of this run finished (done, failed or unreadable), of `total` to work on. */
  processed: number;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  resumed: number;
  /** The photo being worked on now, if any. */
  current: string | undefined;
  /** Tiles of the current photo. */
  tiles: { done: number; total: number } | undefined;
  elapsedSeconds: number;
  /** Estimated seconds left (undefined until a photo has finished). */
  etaSeconds: number | undefined;
  paused: boolean;
}

export type BatchEvent =
  | BatchProgress
  | { type: 'photo'; outcome: PhotoOutcome }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'cancelling' };

export interface RankedPhoto {
  input: string;
  output?: string | undefined;
  meanConfidence: number;
  keptRatio: number;
}

export interface BatchSummary {
  outputRoot: string;
  counts: { total: number; done: number; resumed: number; skipped: number; failed: number; notRun: number };
  cancelled: boolean;
  /** Why the batch stopped before its end on its own (its journal could not be written, or the disk of the
   * output photos is full); undefined otherwise. */
  stopped: string | undefined;
  seconds: number;
  photosPerMinute: number | undefined;
  failures: SkippedFile[];
  skips: SkippedFile[];
  /** Photos an earlier run had finished with other settings, restored again (counted done, not resumed). */
  redone: SkippedFile[];
  /** Most blur first: by mean confidence, then kept ratio. */
  ranking: RankedPhoto[];
  outcomes: PhotoOutcome[];
  report: { json: string; csv: string } | undefined;
}

/** A request that cannot run as given (or would overwrite an original): the CLI exits 2. */
export class BatchUsageError extends Error {
  override readonly name = 'BatchUsageError';
}

/** The batch stopped before its end because its journal could not be written (it could not be resumed safely
 * past that point) or the disk of its output photos is full (every photo after would fail the same way). The
 * summary of what it did comes with it; the CLI exits 3. */
export class BatchStoppedError extends Error {
  override readonly name = 'BatchStoppedError';

  constructor(
    message: string,
    readonly summary: BatchSummary,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

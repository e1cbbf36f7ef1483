// The app's batch service: the folders the user chose (kept here, never sent by the renderer), one BatchJob at a
// time on the studio's engine, its progress turned into the contract's plain events, and its summary (also of a
// batch that stopped on its own: the photographer needs what was saved and why it stopped more than an error).
import { basename, relative, resolve } from 'node:path';
import {
  EVENTS,
  type BatchAction,
  type BatchFolder,
  type BatchFolderKind,
  type BatchProgressEvent,
  type BatchResult,
  type BatchStartRequest,
} from '../contract';
import type { InferenceEngine } from '../inference';
import { BatchJob, BatchStoppedError, planBatch, type BatchEvent, type BatchSummary } from '../jobs';
import type { ModelEntry } from '../models/registry';
import { ApiFailure } from './errors';
import type { StudioHost } from './host';

interface Running {
  jobId: string;
  /** Undefined while the batch is being planned. */
  job: BatchJob | undefined;
  /** Cancel asked for while planning: the job is cancelled as soon as it exists. */
  cancelled: boolean;
}

export class BatchService {
  private readonly folders: Partial<Record<BatchFolderKind, string>> = {};
  private running: Running | undefined;
  /** True from start() until its batch ends (planning included), so a second start is refused as busy. */
  private busy = false;
  /** Resolves when the batch started last has ended, however it ended. */
  private ended: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: StudioHost,
    private readonly engine: InferenceEngine,
    private readonly model: (id: string | undefined) => ModelEntry,
    private readonly threads: number | undefined,
  ) {}

  async chooseFolder(kind: BatchFolderKind): Promise<BatchFolder | undefined> {
    const chosen = await this.host.chooseFolder(kind);
    if (!chosen) return undefined;
    const path = resolve(chosen);
    this.folders[kind] = path;
    return { kind, path };
  }

  async start(request: BatchStartRequest): Promise<BatchResult> {
    if (this.busy) throw new ApiFailure('busy', 'a batch is already running');
    const input = this.folders.input;
    const output = this.folders.output;
    if (!input || !output) {
      throw new ApiFailure('invalid-request', 'choose the input and output folders first');
    }
    this.busy = true;
    this.running = { jobId: request.jobId, job: undefined, cancelled: false };
    const task = this.run(request, input, output);
    this.ended = task.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await task;
    } finally {
      this.busy = false;
      this.running = undefined;
    }
  }

  private async run(request: BatchStartRequest, input: string, output: string): Promise<BatchResult> {
    const model = this.model(request.modelId);
    const plan = await planBatch({
      inputs: [input],
      output,
      recursive: request.recursive,
      onExisting: request.onExisting,
      modelDir: model.dir,
      device: request.device,
      threads: this.threads,
      threshold: request.threshold,
      strength: request.strength,
      format: request.format,
      quality: request.quality,
      bitDepth: request.bitDepth,
    });
    const progress = initialProgress(request.jobId, plan.photos.length);
    // Photos are named by their path in the album: sub-folders may hold photos of the same name.
    const name = (path: string) => relative(input, path);
    const job = new BatchJob(this.engine, plan, (event) => this.onEvent(progress, event, name));
    const running = this.running!;
    running.job = job;
    if (running.cancelled) job.cancel();
    return toResult(request.jobId, await summaryOf(job), name);
  }

  control(jobId: string, action: BatchAction): boolean {
    const running = this.running;
    if (running?.jobId !== jobId) return false;
    if (running.job) {
      running.job[action]();
      return true;
    }
    // Still planning: a cancel is kept for the job; pause and resume have nothing to act on yet.
    if (action === 'cancel') running.cancelled = true;
    return action === 'cancel';
  }

  /** Cancels the running batch; resolves once it has ended (its photo in the worker stopped, journal closed). */
  cancelAll(): Promise<void> {
    if (this.running) {
      this.running.cancelled = true;
      this.running.job?.cancel();
    }
    return this.ended;
  }

  private onEvent(progress: BatchProgressEvent, event: BatchEvent, name: (path: string) => string): void {
    if (event.type === 'progress') {
      const { type: _type, current, ...rest } = event;
      Object.assign(progress, rest, { current: current === undefined ? undefined : name(current) });
    } else if (event.type === 'photo') {
      const { outcome } = event;
      if (outcome.status === 'failed') {
        progress.failures = [
          ...progress.failures,
          { name: name(outcome.input), reason: outcome.reason ?? 'failed' },
        ];
      }
      return; // a progress event follows
    } else if (event.type === 'cancelling') {
      progress.cancelling = true;
    } else {
      progress.paused = event.type === 'paused';
    }
    this.host.emit(EVENTS.batchProgress, { ...progress });
  }
}

function initialProgress(jobId: string, total: number): BatchProgressEvent {
  return {
    jobId,
    processed: 0,
    total,
    done: 0,
    failed: 0,
    skipped: 0,
    resumed: 0,
    current: undefined,
    tiles: undefined,
    elapsedSeconds: 0,
    etaSeconds: undefined,
    paused: false,
    cancelling: false,
    failures: [],
  };
}

/** The batch's summary; a batch stopped because its journal or output disk could not be written still has one,
 * with `stopped` saying why. */
async function summaryOf(job: BatchJob): Promise<BatchSummary> {
  try {
    return await job.run();
  } catch (error) {
    if (error instanceof BatchStoppedError) return error.summary;
    throw error;
  }
}

function toResult(jobId: string, summary: BatchSummary, name: (path: string) => string): BatchResult {
  const named = (files: { input: string; reason: string }[]) =>
    files.map((file) => ({ name: name(file.input), reason: file.reason }));
  return {
    jobId,
    outputFolder: summary.outputRoot,
    counts: summary.counts,
    cancelled: summary.cancelled,
    stopped: summary.stopped,
    seconds: summary.seconds,
    photosPerMinute: summary.photosPerMinute,
    failures: named(summary.failures),
    skips: named(summary.skips),
    redone: named(summary.redone),
    report: summary.report && { json: basename(summary.report.json), csv: basename(summary.report.csv) },
  };
}

// Runs a planned batch through one InferenceEngine (one model session for every photo). A small bounded
// pipeline: while photo i is in the worker, photo i+1 is decoded and photo i-1 is encoded and written, so at most
// three photos are in memory whatever the album's size. Pause waits between photos; cancel stops the running
// photo between tiles (nothing is written for it) and keeps everything already finished.
import { CancelledError, type InferenceEngine, type RestoreResult } from '../inference';
import { engineJob } from '../restore';
import { Journal } from './journal';
import { lockOutput } from './lock';
import { loadPhoto, meanOf, message, savePhoto, type Loaded } from './photo-steps';
import { prepareOutput, removeStaleTemps } from './plan';
import { SummaryBuilder, writeReports } from './summary';
import type { BatchEvent, BatchPlan, BatchSummary, PhotoOutcome, PlannedPhoto } from './types';

export type BatchListener = (event: BatchEvent) => void;

export class BatchJob {
  private readonly cancelController = new AbortController();
  private pausedSince: number | undefined;
  private pausedTotal = 0;
  private wake: (() => void) | undefined;
  private readonly summary: SummaryBuilder;
  private started = 0;
  private current: string | undefined;
  private tiles: { done: number; total: number } | undefined;
  private worked = 0;
  /** Temp files of interrupted atomic writes removed before the photos ran. */
  staleTempsRemoved = 0;

  constructor(
    private readonly engine: InferenceEngine,
    private readonly plan: BatchPlan,
    private readonly listener: BatchListener = () => undefined,
  ) {
    this.summary = new SummaryBuilder(plan);
  }

  get paused(): boolean {
    return this.pausedSince !== undefined;
  }

  get cancelled(): boolean {
    return this.cancelController.signal.aborted;
  }

  /** Takes effect after the photo in the worker finishes (and is written). */
  pause(): void {
    if (this.paused || this.cancelled) return;
    this.pausedSince = performance.now();
    this.listener({ type: 'paused' });
    this.emitProgress();
  }

  resume(): void {
    if (this.pausedSince === undefined) return;
    this.pausedTotal += performance.now() - this.pausedSince;
    this.pausedSince = undefined;
    this.listener({ type: 'resumed' });
    this.wake?.();
  }

  cancel(): void {
    if (this.cancelled) return;
    this.listener({ type: 'cancelling' });
    this.cancelController.abort();
    this.wake?.();
  }

  async run(): Promise<BatchSummary> {
    this.started = performance.now();
    await prepareOutput(this.plan);
    const unlock = await lockOutput(this.plan.outputRoot);
    try {
      this.staleTempsRemoved = await removeStaleTemps(this.plan);
      const journal = await Journal.open(this.plan.journalPath);
      try {
        await journal.append({ t: 'start', at: new Date().toISOString(), settings: settingsOf(this.plan) });
        await this.runPhotos(journal);
        await journal.append({ t: 'end', at: new Date().toISOString(), cancelled: this.cancelled });
      } finally {
        await journal.close();
      }
    } finally {
      await unlock();
    }
    this.current = undefined;
    this.tiles = undefined;
    this.emitProgress();
    const summary = this.summary.finish(this.elapsed(), this.cancelled);
    // A report that cannot be written does not undo the batch: the summary still comes back.
    return writeReports(summary).catch(() => summary);
  }

  private async runPhotos(journal: Journal): Promise<void> {
    const photos = this.plan.photos;
    let writing: Promise<void> = Promise.resolve();
    let next: Promise<Loaded> | undefined = photos[0] ? loadPhoto(photos[0]) : undefined;
    this.emitProgress();
    try {
      for (let i = 0; i < photos.length; i++) {
        await this.waitWhilePaused();
        if (this.cancelled) break;
        const item = photos[i]!;
        const loaded = await next!;
        next = photos[i + 1] ? loadPhoto(photos[i + 1]!) : undefined;
        if (!loaded.ok) {
          if (!loaded.unreadable)
            await journal.append({ t: 'failed', input: item.input, reason: loaded.reason });
          this.finish({
            input: item.input,
            status: loaded.unreadable ? 'skipped' : 'failed',
            reason: loaded.reason,
          });
          continue;
        }
        await journal.append({ t: 'planned', input: item.input, output: item.output });
        this.current = item.input;
        this.tiles = undefined;
        const started = performance.now();
        const inference = this.infer(item, loaded);
        await writing; // the previous photo's encode and write overlapped this inference
        const result = await inference;
        if (result instanceof CancelledError) break;
        if (result instanceof Error) {
          const reason = message(result, item.input);
          await journal.append({ t: 'failed', input: item.input, reason });
          this.finish({ input: item.input, status: 'failed', reason });
          continue;
        }
        writing = this.save(journal, item, loaded.photo.depth, result, started);
      }
    } finally {
      // save() never rejects: if the journal fails, the photo being written still finishes before it closes.
      await writing;
    }
  }

  /** Never rejects: errors come back as values so the pipeline's promises cannot go unhandled. */
  private infer(item: PlannedPhoto, loaded: Extract<Loaded, { ok: true }>): Promise<RestoreResult | Error> {
    const { request } = this.plan;
    const { photo, guide } = loaded;
    return this.engine
      .restore(engineJob(request, photo, guide, true), {
        signal: this.cancelController.signal,
        onProgress: (progress) => {
          this.tiles = { done: progress.done, total: progress.total };
          this.emitProgress();
        },
      })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(message(error))));
  }

  private async save(
    journal: Journal,
    item: PlannedPhoto,
    depth: 8 | 16,
    result: RestoreResult,
    started: number,
  ): Promise<void> {
    const meanConfidence = meanOf(result.confidence);
    const keptRatio = result.keptRatio;
    try {
      const saved = await savePhoto(item, result, depth, this.plan.request);
      const { input, output } = item;
      const { sha256, bytes } = saved;
      await journal.append({ t: 'done', input, output, sha256, bytes, keptRatio, meanConfidence });
      const seconds = (performance.now() - started) / 1000;
      this.finish({
        input,
        output,
        status: 'done',
        keptRatio,
        meanConfidence,
        seconds,
        warnings: saved.warnings.length ? saved.warnings : undefined,
      });
    } catch (error) {
      await journal
        .append({ t: 'failed', input: item.input, reason: message(error, item.input) })
        .catch(() => undefined);
      this.finish({ input: item.input, status: 'failed', reason: message(error, item.input) });
    }
  }

  private finish(outcome: PhotoOutcome): void {
    this.worked++;
    this.summary.add(outcome);
    this.listener({ type: 'photo', outcome });
    this.emitProgress();
  }

  private async waitWhilePaused(): Promise<void> {
    while (this.paused && !this.cancelled) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private elapsed(): number {
    const pausedNow = this.pausedSince === undefined ? 0 : performance.now() - this.pausedSince;
    return (performance.now() - this.started - this.pausedTotal - pausedNow) / 1000;
  }

  private emitProgress(): void {
    const counts = this.summary.counts();
    const total = this.plan.photos.length;
    const elapsed = this.elapsed();
    const left = total - this.worked;
    this.listener({
      type: 'progress',
      processed: this.worked,
      total,
      done: counts.done,
      failed: counts.failed,
      skipped: counts.skipped,
      resumed: counts.resumed,
      current: this.current,
      tiles: this.tiles,
      elapsedSeconds: elapsed,
      etaSeconds: this.worked > 0 ? (elapsed / this.worked) * left : undefined,
      paused: this.paused,
    });
  }
}

function settingsOf(plan: BatchPlan): Record<string, unknown> {
  const { request } = plan;
  return { ...request, photos: plan.photos.length, resumed: plan.resumed.length };
}

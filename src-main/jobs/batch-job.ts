// Runs a planned batch through one InferenceEngine (one model session for every photo). A small bounded
// pipeline: while photo i is in the worker, photo i+1 is decoded and photo i-1 is encoded and written, so at most
// three photos are in memory whatever the album's size. Pause waits between photos; cancel stops the running
// photo between tiles (nothing is written for it) and keeps everything already finished. A journal that cannot
// be written stops the batch at once (BatchStoppedError): past it, the batch could not be resumed safely. So
// does a full output disk: every photo after it would fail the same way.
import { CancelledError, type InferenceEngine, type RestoreResult } from '../inference';
import { engineJob } from '../restore';
import { isDiskFull, outputDiskFull } from './disk-full';
import { Journal, type JournalRecord } from './journal';
import { loadPhoto, meanOf, message, savePhoto, type Loaded, type Saved } from './photo-steps';
import { prepareOutput, removeStaleTemps } from './plan';
import { SummaryBuilder, writeReports } from './summary';
import {
  BatchStoppedError,
  type BatchEvent,
  type BatchPlan,
  type BatchSummary,
  type PhotoOutcome,
  type PlannedPhoto,
} from './types';

/** The warning of a photo written whole whose `done` record the journal could not take. */
const UNRECORDED =
  'written, but not recorded in the journal (it could not be written): the next run restores it again';

export type BatchListener = (event: BatchEvent) => void;

export class BatchJob {
  private readonly cancelController = new AbortController();
  private readonly stopController = new AbortController();
  /** Cancel, or a stop: the photo in the worker ends between tiles either way. */
  private readonly halt = AbortSignal.any([this.cancelController.signal, this.stopController.signal]);
  /** Why the batch stopped on its own: the journal could not be written, or the output disk is full. */
  private stopped: Error | undefined;
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
    const unlock = await prepareOutput(this.plan);
    let reported: BatchSummary;
    try {
      this.staleTempsRemoved = await removeStaleTemps(this.plan);
      const journal = await Journal.open(this.plan.journalPath);
      try {
        const settings = settingsOf(this.plan);
        if (await this.record(journal, { t: 'start', at: new Date().toISOString(), settings }))
          await this.runPhotos(journal);
        await this.record(journal, { t: 'end', at: new Date().toISOString(), cancelled: this.cancelled });
      } finally {
        await journal.close();
      }
      this.current = undefined;
      this.tiles = undefined;
      this.emitProgress();
      const summary = this.summary.finish(this.elapsed(), this.cancelled, this.stopped?.message);
      // A report that cannot be written does not undo the batch: the summary still comes back. Written under
      // the lock: the next batch would remove its temp files as stale.
      reported = await writeReports(summary, this.plan.photos).catch(() => summary);
    } finally {
      await unlock();
    }
    if (this.stopped) throw new BatchStoppedError(this.stopped.message, reported, { cause: this.stopped });
    return reported;
  }

  /** Appends to the journal; false once it cannot be written, and the batch stops at once. No record follows a
   * failed one: it could be glued to a torn line and lost with it. */
  private async record(journal: Journal, record: JournalRecord): Promise<boolean> {
    if (this.stopped) return false;
    try {
      await journal.append(record);
      return true;
    } catch (error) {
      this.stop(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  /** Stops the batch at once: nothing more starts and the photo in the worker ends between tiles. The first
   * reason is kept. */
  private stop(reason: Error): void {
    this.stopped ??= reason;
    this.stopController.abort();
    this.wake?.();
  }

  private async runPhotos(journal: Journal): Promise<void> {
    const photos = this.plan.photos;
    let writing: Promise<void> = Promise.resolve();
    let next: Promise<Loaded> | undefined = photos[0] ? loadPhoto(photos[0]) : undefined;
    this.emitProgress();
    try {
      for (let i = 0; i < photos.length; i++) {
        await this.waitWhilePaused();
        if (this.cancelled || this.stopped) break;
        const item = photos[i]!;
        const loaded = await next!;
        next = photos[i + 1] ? loadPhoto(photos[i + 1]!) : undefined;
        // A photo whose record the journal cannot take is not reported (its failure included): it is not run,
        // and the next run tries it again.
        if (!loaded.ok) {
          const failed = { t: 'failed', input: item.input, reason: loaded.reason } as const;
          if (!loaded.unreadable && !(await this.record(journal, failed))) break;
          this.finish({
            input: item.input,
            status: loaded.unreadable ? 'skipped' : 'failed',
            reason: loaded.reason,
          });
          continue;
        }
        if (!(await this.record(journal, { t: 'planned', input: item.input, output: item.output }))) break;
        this.current = item.input;
        this.tiles = undefined;
        const started = performance.now();
        const inference = this.infer(item, loaded);
        await writing; // the previous photo's encode and write overlapped this inference
        const result = await inference;
        // Stopped while it ran (by the previous photo's record or write): nothing is written for it.
        if (result instanceof CancelledError || this.stopped) {
          // Cancelled: said in the journal, else the next run would take a file made there since for its own.
          if (!this.stopped) await this.record(journal, { t: 'cancelled', input: item.input });
          break;
        }
        if (result instanceof Error) {
          const reason = message(result, item.input);
          if (!(await this.record(journal, { t: 'failed', input: item.input, reason }))) break;
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
        signal: this.halt,
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
    const { input, output } = item;
    const meanConfidence = meanOf(result.confidence);
    const keptRatio = result.keptRatio;
    let saved: Saved;
    try {
      saved = await savePhoto(item, result, depth, this.plan.request);
    } catch (error) {
      // Not failed: its last record stays `planned`, so the next run redoes it into the same file (the atomic
      // write left no temp file and replaced nothing).
      if (isDiskFull(error)) return this.stop(outputDiskFull(error, output));
      const reason = message(error, input);
      if (await this.record(journal, { t: 'failed', input, reason }))
        this.finish({ input, status: 'failed', reason });
      return;
    }
    const { sha256, bytes } = saved;
    // The output is whole (atomic write) even when the journal cannot take its `done`: the photo is done, not
    // failed. Its last record stays `planned`, never `failed` (whose output a later run would leave alone as
    // someone else's), so the next run restores it again into the same file.
    const recorded = await this.record(journal, {
      t: 'done',
      input,
      output,
      sha256,
      bytes,
      keptRatio,
      meanConfidence,
      settings: item.settings,
    });
    const warnings = recorded ? saved.warnings : [...saved.warnings, UNRECORDED];
    const seconds = (performance.now() - started) / 1000;
    this.finish({
      input,
      output,
      status: 'done',
      reason: item.redo,
      keptRatio,
      meanConfidence,
      seconds,
      warnings: warnings.length ? warnings : undefined,
    });
  }

  private finish(outcome: PhotoOutcome): void {
    this.worked++;
    this.summary.add(outcome);
    this.listener({ type: 'photo', outcome });
    this.emitProgress();
  }

  private async waitWhilePaused(): Promise<void> {
    while (this.paused && !this.cancelled && !this.stopped) {
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

// Runs `deblur batch` and `deblur scan` on the jobs service. Batch exit codes: 0 every photo done (damaged
// and non-photo files are skipped and reported, not failures), 1 some failed (a photo over the pixel limit or
// denied to us included), 2 usage error, 3 stopped (its journal could not be written, or the disk of the
// output photos is full), 130 interrupted. Scan exit codes: 0 every photo measured (junk skipped), 1 some
// failed (as in the batch), 2 usage error, 130 interrupted.
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { CancelledError, InferenceEngine, ModelError, loadModelDir } from '../inference';
import {
  BatchJob,
  BatchStoppedError,
  BatchUsageError,
  JOURNAL_NAME,
  planBatch,
  scanAlbum,
  type BatchEvent,
  type BatchSummary,
  type PhotoOutcome,
} from '../jobs';
import { ModelNotFoundError, resolveModelDir } from '../restore';
import type { BatchSettings, ScanSettings } from './batch-program';

/** The model folder, or a usage message. */
async function modelFor(model: string | undefined, tile?: number): Promise<string> {
  const modelDir = resolveModelDir(model);
  const loaded = await loadModelDir(modelDir, { verify: false });
  const multiple = loaded.manifest.inputMultiple;
  if (tile !== undefined && tile % multiple !== 0) {
    throw new BatchUsageError(`--tile must be a multiple of ${multiple} for model ${loaded.manifest.id}`);
  }
  return modelDir;
}

function isUsage(error: unknown): error is Error {
  return (
    error instanceof BatchUsageError || error instanceof ModelNotFoundError || error instanceof ModelError
  );
}

export async function runBatchCli(settings: BatchSettings): Promise<number> {
  let job: BatchJob;
  const engine = new InferenceEngine();
  const view = settings.json ? jsonView() : barView();
  try {
    const modelDir = await modelFor(settings.model, settings.tile);
    const plan = await planBatch({ ...settings, inputs: settings.inputs, modelDir });
    job = new BatchJob(engine, plan, view.event);
  } catch (error) {
    await engine.close();
    if (!isUsage(error)) throw error;
    console.error(`deblur batch: ${error.message}`);
    return 2;
  }
  // Ctrl-C (or SIGTERM) cancels: the running photo stops between tiles, finished photos stay, exit 130.
  const onSignal = () => job.cancel();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: BatchSummary;
  try {
    summary = await job.run();
  } catch (error) {
    // Stopped (its journal could not be written, its output disk full): what it did is still summed up below,
    // then why it stopped.
    if (!(error instanceof BatchStoppedError)) {
      if (!isUsage(error)) throw error;
      console.error(`deblur batch: ${error.message}`);
      return 2;
    }
    summary = error.summary;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.stop();
    await engine.close();
  }
  if (settings.json) console.log(JSON.stringify({ type: 'summary', ...summary, outcomes: undefined }));
  else printSummary(summary);
  if (summary.stopped) {
    // The reason is the app's too: how to resume from a shell is said here.
    console.error(`deblur batch: ${summary.stopped}`);
    const journal = join(summary.outputRoot, JOURNAL_NAME);
    console.error(`deblur batch: run the same command again to resume (journal: ${journal})`);
    return 3;
  }
  if (summary.cancelled) return 130;
  return summary.counts.failed ? 1 : 0;
}

interface View {
  event: (event: BatchEvent) => void;
  stop: () => void;
}

function jsonView(): View {
  return {
    event: (event) => {
      if (event.type === 'photo') console.log(JSON.stringify(event));
    },
    stop: () => undefined,
  };
}

/** A progress bar with the ETA on a terminal; one line per failure otherwise. */
function barView(enabled = Boolean(process.stderr.isTTY)): View {
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'batch [{bar}] {value}/{total} photos | {failed} failed | {state} | {current}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    event(event) {
      if (event.type === 'photo' && event.outcome.status === 'failed' && !enabled) {
        console.error(`deblur batch: ${event.outcome.input}: failed: ${event.outcome.reason}`);
      }
      if (!enabled || event.type !== 'progress') return;
      const eta = event.etaSeconds === undefined ? 'ETA --' : `ETA ${formatSeconds(event.etaSeconds)}`;
      const tiles = event.tiles ? ` (tile ${event.tiles.done}/${event.tiles.total})` : '';
      const payload = {
        failed: event.failed,
        state: event.paused ? 'paused' : eta,
        current: `${event.current?.split(/[\\/]/).pop() ?? ''}${tiles}`,
      };
      if (!started) bar.start(event.total, event.processed, payload);
      started = true;
      bar.update(event.processed, payload);
    },
    stop: () => started && bar.stop(),
  };
}

function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function printSummary(summary: BatchSummary): void {
  const { counts } = summary;
  const rate =
    summary.photosPerMinute === undefined ? '' : `, ${summary.photosPerMinute.toFixed(1)} photos/min`;
  const redone = summary.redone.length ? ` (${summary.redone.length} redone: settings changed)` : '';
  console.error(
    `${endedAs(summary)} in ${formatSeconds(summary.seconds)}${rate}: ` +
      `${counts.done} done${redone}, ${counts.resumed} resumed, ${counts.skipped} skipped, ${counts.failed} failed` +
      (counts.notRun ? `, ${counts.notRun} not run` : ''),
  );
  const list = (label: string, items: { input: string; reason: string }[]) => {
    for (const item of items.slice(0, 20)) console.error(`  ${label} ${item.input}: ${item.reason}`);
    if (items.length > 20) console.error(`  ... ${items.length - 20} more ${label} (see the report)`);
  };
  list('failed', summary.failures);
  list('skipped', summary.skips);
  list('done', summary.redone);
  const blurriest = summary.ranking.slice(0, 5);
  if (blurriest.length) console.error('most blur found (mean confidence, kept windows):');
  for (const photo of blurriest) console.error(`  ${rankLine(photo)}`);
  if (summary.report) console.error(`report: ${summary.report.json}`);
}

function endedAs(summary: BatchSummary): string {
  if (summary.stopped) return 'stopped';
  return summary.cancelled ? 'cancelled' : 'finished';
}

function rankLine(photo: Pick<PhotoOutcome, 'input' | 'meanConfidence' | 'keptRatio'>): string {
  const pct = (value: number | undefined) => `${((value ?? 0) * 100).toFixed(1)}%`;
  return `${pct(photo.meanConfidence)} ${pct(photo.keptRatio)}  ${photo.input}`;
}

export async function runScanCli(settings: ScanSettings): Promise<number> {
  let modelDir: string;
  try {
    modelDir = await modelFor(settings.model);
  } catch (error) {
    if (!isUsage(error)) throw error;
    console.error(`deblur scan: ${error.message}`);
    return 2;
  }
  const engine = new InferenceEngine();
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await scanAlbum(engine, {
      ...settings,
      modelDir,
      signal: interrupt.signal,
      onPhoto: (index, total, input) => {
        if (process.stderr.isTTY && !settings.json)
          process.stderr.write(`\rscan ${index + 1}/${total} ${input}`);
      },
    });
    if (settings.json) {
      console.log(JSON.stringify(result));
    } else {
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log('mean-confidence kept-windows photo (most blur first; measured at a reduced size)');
      for (const photo of result.ranking) console.log(rankLine(photo));
      for (const failure of result.failures) console.error(`failed ${failure.input}: ${failure.reason}`);
      for (const skip of result.skipped) console.error(`skipped ${skip.input}: ${skip.reason}`);
    }
    return result.failures.length ? 1 : 0;
  } catch (error) {
    if (error instanceof CancelledError || interrupt.signal.aborted) return 130;
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    await engine.close();
  }
}

// The batch summary: counts, failures with reasons, time, the blur ranking; and the same as report files
// (JSON and CSV) in the output folder, written atomically. The CSV has a row for every photo, so a batch that
// ended early says so in it too.
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../imaging';
import type { BatchPlan, BatchSummary, PhotoOutcome, PlannedPhoto, RankedPhoto } from './types';

export const REPORT_JSON = 'deblur-batch-report.json';
export const REPORT_CSV = 'deblur-batch-report.csv';

export class SummaryBuilder {
  private readonly outcomes: PhotoOutcome[];

  constructor(private readonly plan: BatchPlan) {
    this.outcomes = [
      ...plan.resumed.map((photo): PhotoOutcome => ({ ...photo, status: 'resumed' })),
      ...plan.skipped.map((skip): PhotoOutcome => ({ ...skip, status: 'skipped' })),
    ];
  }

  add(outcome: PhotoOutcome): void {
    this.outcomes.push(outcome);
  }

  counts(): Omit<BatchSummary['counts'], 'total' | 'notRun'> {
    const counts = { done: 0, resumed: 0, skipped: 0, failed: 0 };
    for (const outcome of this.outcomes) counts[outcome.status]++;
    return counts;
  }

  finish(seconds: number, cancelled: boolean, stopped?: string): BatchSummary {
    const counts = this.counts();
    const total = this.plan.photos.length + this.plan.resumed.length + this.plan.skipped.length;
    const notRun = total - counts.done - counts.resumed - counts.skipped - counts.failed;
    const pick = (status: PhotoOutcome['status']) =>
      this.outcomes
        .filter((outcome) => outcome.status === status)
        .map((outcome) => ({ input: outcome.input, reason: outcome.reason ?? '' }));
    return {
      outputRoot: this.plan.outputRoot,
      counts: { total, ...counts, notRun },
      cancelled,
      stopped,
      seconds,
      photosPerMinute: counts.done && seconds > 0 ? (counts.done / seconds) * 60 : undefined,
      failures: pick('failed'),
      skips: pick('skipped'),
      redone: pick('done').filter((photo) => photo.reason),
      ranking: rankByBlur(this.outcomes),
      outcomes: this.outcomes,
      report: undefined,
    };
  }
}

/**
 * Most blur first. What is measured: the model's own per-pixel blur confidence averaged over the photo, and the
 * share of window computations its pruning kept (more kept = more area it judged blurry). Neither is a
 * calibrated sharpness score; they rank photos of one album against each other.
 */
export function rankByBlur(outcomes: readonly PhotoOutcome[]): RankedPhoto[] {
  return outcomes
    .filter((o) => o.meanConfidence !== undefined && o.keptRatio !== undefined)
    .map((o) => ({
      input: o.input,
      output: o.output,
      meanConfidence: o.meanConfidence!,
      keptRatio: o.keptRatio!,
    }))
    .sort((a, b) => b.meanConfidence - a.meanConfidence || b.keptRatio - a.keptRatio);
}

/** A row of the CSV: a photo's outcome, or one of `planned` that a stopped or cancelled batch never finished. */
type CsvRow = Omit<PhotoOutcome, 'status'> & { status: PhotoOutcome['status'] | 'not run' };

/** Writes the JSON and CSV reports into the output folder and returns the summary with their paths. */
export async function writeReports(
  summary: BatchSummary,
  planned: readonly PlannedPhoto[],
): Promise<BatchSummary> {
  const json = join(summary.outputRoot, REPORT_JSON);
  const csv = join(summary.outputRoot, REPORT_CSV);
  const withPaths = { ...summary, report: { json, csv } };
  await writeFileAtomic(json, Buffer.from(`${JSON.stringify(withPaths, null, 2)}\n`));
  await writeFileAtomic(csv, Buffer.from(toCsv([...summary.outcomes, ...notRun(summary, planned)])));
  return withPaths;
}

/** The planned photos this run did not finish, with why the batch ended before them: a spreadsheet of the CSV
 * alone then shows the batch stopped early (the JSON has `stopped` and the counts). */
function notRun(summary: BatchSummary, planned: readonly PlannedPhoto[]): CsvRow[] {
  const reason = summary.stopped ?? (summary.cancelled ? 'the batch was cancelled' : undefined);
  if (reason === undefined) return [];
  const finished = new Set(summary.outcomes.map((outcome) => outcome.input));
  return planned
    .filter((photo) => !finished.has(photo.input))
    .map((photo) => ({ input: photo.input, status: 'not run', reason }));
}

function toCsv(outcomes: readonly CsvRow[]): string {
  return stringify(
    outcomes.map((o) => [o.input, o.status, o.output, o.reason, o.meanConfidence, o.keptRatio, o.seconds]),
    {
      header: true,
      columns: ['input', 'status', 'output', 'reason', 'mean_confidence', 'kept_ratio', 'seconds'],
    },
  );
}

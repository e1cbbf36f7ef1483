// The measures the ship rule compares (models/lmdvit-e8/MODEL_CARD.md, Threshold), read out of `npm run eval`
// reports as named rows, so two checkpoints' reports line up side by side (`npm run eval:compare`).
import type { SplitMetrics } from './evaluate';

// The fields read here, typed from what evaluate.ts reports (a type-only import: no model code loads).
type Bucket = Pick<SplitMetrics['byBlurLength'][number], 'weightedPsnr' | 'weightedPsnrInput'> & {
  lengthPx: { from: number };
};
type SplitReport = Pick<
  SplitMetrics,
  | 'split'
  | 'weightedPsnr'
  | 'weightedPsnrInput'
  | 'unblurredPsnrVsInput'
  | 'unblurredPsnrVsInputPooled'
  | 'keptRatio'
  | 'keptRatioNoBlur'
> & {
  unblurredKeptByBackground?: Record<string, { kept: number | null } | undefined>;
  byBlurLength?: Bucket[];
};

export interface EvalReport {
  threshold: number;
  guide?: string;
  splits: SplitReport[];
}

const COLUMN = 10;

const gain = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/** Row name to value (null where the report has no such number), in a stable order. */
export function reportRows(report: EvalReport): Map<string, number | null> {
  const rows = new Map<string, number | null>([['threshold', report.threshold]]);
  for (const s of report.splits) {
    const at = (name: string, value: number | null | undefined) =>
      rows.set(`${s.split} ${name}`, value ?? null);
    at('gain dB', gain(s.weightedPsnr, s.weightedPsnrInput));
    for (const b of s.byBlurLength ?? [])
      at(`gain dB, ${b.lengthPx.from}+ px`, gain(b.weightedPsnr, b.weightedPsnrInput));
    at('unblurred dB, mean', s.unblurredPsnrVsInput);
    at('unblurred dB, pooled', s.unblurredPsnrVsInputPooled);
    at('kept', s.keptRatio);
    at('kept without blur', s.keptRatioNoBlur);
    at('soft background kept', s.unblurredKeptByBackground?.soft?.kept);
  }
  return rows;
}

/** A plain-text table: a legend naming each column's report, then one row per measure any report has. */
export function compareTable(names: string[], reports: EvalReport[]): string {
  const tables = reports.map(reportRows);
  const keys = [...new Set(tables.flatMap((t) => [...t.keys()]))];
  const width = Math.max(...keys.map((k) => k.length));
  const cell = (v: number | null | undefined) =>
    (v === null || v === undefined ? '-' : v.toFixed(3)).padStart(COLUMN);
  const legend = names.map((n, i) => `[${i + 1}] ${n}`);
  const head = ''.padEnd(width) + names.map((_, i) => `[${i + 1}]`.padStart(COLUMN)).join('');
  const body = keys.map((k) => k.padEnd(width) + tables.map((t) => cell(t.get(k))).join(''));
  return [...legend, head, ...body].join('\n');
}

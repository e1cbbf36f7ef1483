// The batch panel's state: the chosen folders (main keeps the paths it opened; these are for display), the
// running batch's progress (done/total, ETA, current photo, failures), pause/resume/cancel and the summary.
import type {
  BatchFolderKind,
  BatchProgressEvent,
  BatchResult,
  BatchStartRequest,
  DeblurApi,
  ExportFormat,
} from '../../../src-main/contract';
import { messageOf, unwrap } from '../../lib/bridge';
import { DEFAULT_QUALITY, FORMAT_CHOICES } from '../export/export.svelte';

export type OnExisting = NonNullable<BatchStartRequest['onExisting']>;
/** 'same': each photo keeps its own format, or its own depth. */
export type BatchFormat = ExportFormat | 'same';
export type BatchDepth = 8 | 16 | 'same';

/** "1 h 02 min", "3 min 05 s", "42 s"; "estimating…" before the first photo finishes. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return 'estimating…';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h) return `${h} h ${pad(m)} min`;
  if (m) return `${m} min ${pad(s % 60)} s`;
  return `${s} s`;
}

/** How a batch ended: stopped on its own (a disk it could not write) before cancelled, cancelled before done. */
export function endedAs(result: Pick<BatchResult, 'cancelled' | 'stopped'>): string {
  if (result.stopped !== undefined) return 'Stopped';
  return result.cancelled ? 'Cancelled' : 'Finished';
}

export class BatchState {
  input = $state<string | undefined>(undefined);
  output = $state<string | undefined>(undefined);
  recursive = $state(false);
  /** What to do when an output file exists that this batch did not write (main's default: skip). */
  onExisting = $state<OnExisting>('skip');
  /** Pruning threshold; undefined = the model's own. */
  threshold = $state<number | undefined>(undefined);
  strength = $state(1);
  format = $state<BatchFormat>('same');
  quality = $state(DEFAULT_QUALITY);
  bitDepth = $state<BatchDepth>('same');
  /** undefined = the registry's default model. */
  modelId = $state<string | undefined>(undefined);
  jobId = $state<string | undefined>(undefined);
  progress = $state<BatchProgressEvent | undefined>(undefined);
  result = $state<BatchResult | undefined>(undefined);
  error = $state<string | undefined>(undefined);

  readonly running = $derived(this.jobId !== undefined);
  readonly canStart = $derived(!this.running && this.input !== undefined && this.output !== undefined);
  readonly fraction = $derived(this.progress?.total ? this.progress.processed / this.progress.total : 0);
  readonly eta = $derived(formatEta(this.progress?.etaSeconds));
  /** Quality matters unless every output is lossless; 16 bits only where the chosen format holds them. */
  readonly lossy = $derived(this.format === 'same' || FORMAT_CHOICES[this.format].lossy);
  readonly deep = $derived(this.format === 'same' || FORMAT_CHOICES[this.format].deep);

  constructor(private readonly api: DeblurApi) {
    api.onBatchProgress((event) => {
      if (event.jobId === this.jobId) this.progress = event;
    });
  }

  async choose(kind: BatchFolderKind): Promise<void> {
    try {
      const chosen = unwrap(await this.api.chooseBatchFolder(kind));
      if (chosen) this[kind] = chosen.path;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  setFormat(format: BatchFormat): void {
    this.format = format;
    if (!this.deep && this.bitDepth === 16) this.bitDepth = 'same';
  }

  async start(): Promise<void> {
    if (!this.canStart) return;
    const jobId = crypto.randomUUID();
    this.jobId = jobId;
    this.progress = undefined;
    this.result = undefined;
    this.error = undefined;
    try {
      this.result = unwrap(
        await this.api.startBatch({
          jobId,
          recursive: this.recursive,
          onExisting: this.onExisting,
          modelId: this.modelId,
          threshold: this.threshold,
          strength: this.strength,
          format: this.format === 'same' ? undefined : this.format,
          quality: this.lossy ? this.quality : undefined,
          bitDepth: this.bitDepth === 'same' || !this.deep ? undefined : this.bitDepth,
        }),
      );
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.jobId = undefined;
    }
  }

  pause = () => this.control('pause');
  resume = () => this.control('resume');
  cancel = () => this.control('cancel');

  private async control(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    if (!this.jobId) return;
    try {
      unwrap(await this.api.controlBatch({ jobId: this.jobId, action }));
    } catch (error) {
      this.error = messageOf(error);
    }
  }
}

// THE typed API between the renderer and main (../shared/docs/design.md, principle 1). Main implements it (src-main/ipc
// dispatches each channel to the studio services), the preload exposes it on `window.deblur`, the renderer
// imports only these types. Every payload is plain data (structured-clone safe): no classes, no functions.

/** Execution devices a user can ask for (the engine falls back to the CPU when a GPU provider fails). */
export const DEVICE_CHOICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];

/** A photo the user opened. Images are reached only through `url` / `thumbnailUrl` (served by id, never by path). */
export interface PhotoInfo {
  id: string;
  name: string;
  /** Folder shown in tooltips; never used to fetch the file. */
  folder: string;
  width: number;
  height: number;
  /** The file's format (the app reads the formats it exports). */
  format: ExportFormat;
  depth: 8 | 16;
  /** The file itself, full size (for a format Chromium cannot show, a lossless PNG of it). */
  url: string;
  thumbnailUrl: string;
  /** What the viewer draws: a down-scaled whole photo and full-resolution tiles. */
  view: ViewImage;
  /** The last restore of this photo in this session, if any (never a loupe preview). */
  restored: RestoredInfo | undefined;
  /** A mask sidecar (`<photo file name>.mask.png`) exists next to the photo. */
  hasMask: boolean;
}

/**
 * How the viewer draws an image of any size: `screenUrl`, the whole image with its long side at most 2560 px (the
 * very bytes of the full image when that fits already), and, when zoomed in past it, full-resolution tiles.
 * Tile (column, row) covers the upright image's pixels from (column, row) * tileSize, `tileSize` square except at
 * the right and bottom edges; its URL is `tileUrl` with `{column}` and `{row}` replaced by the numbers.
 */
export interface ViewImage {
  screenUrl: string;
  screenWidth: number;
  screenHeight: number;
  tileUrl: string;
  tileSize: number;
}

/** 8-bit single-channel pixels, row-major: `data.length === width * height`. Masks use the model contract's
 * values (>= 192 force, <= 63 protect, else auto; the editor writes 255, 0 and 128). */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A rectangle in photo pixels (upright, after EXIF orientation). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The outcome of one restore: the result image and what the engine reports. */
export interface RestoredInfo {
  jobId: string;
  url: string;
  /** How the viewer draws a full result; undefined for a loupe preview (drawn from `url`). */
  view: ViewImage | undefined;
  width: number;
  height: number;
  provider: string;
  fallbackReason: string | undefined;
  keptRatio: number;
  threshold: number;
  strength: number;
  seconds: number;
  tiles: { total: number; run: number; skipped: number; size: number };
  warnings: string[];
  /** Set for a loupe preview: `url` then shows only this part of the photo. */
  region: Region | undefined;
  /** Which windows each stage processed in this run (after the mask), over the region for a preview. */
  decisions: DecisionGrids;
}

export interface RestoreRequest {
  /** Chosen by the caller (a UUID) so it can cancel and match progress events before the reply arrives. */
  jobId: string;
  photoId: string;
  /** A model id from listModels(); default: the registry's default model. */
  modelId?: string | undefined;
  /** Pruning threshold 0..1 (speed against coverage); default: the model's. */
  threshold?: number | undefined;
  /** 0..1, how much of the restored image replaces the original. */
  strength?: number | undefined;
  device?: DeviceChoice | undefined;
  /** The editor's mask at the photo's size; absent: the sidecar mask when there is one. */
  mask?: GrayImage | undefined;
  /** Restore only this part (the loupe preview), cut at the photo's edges (a region that misses the photo is an
   * 'invalid-request'); the photo's full result is left as it was. */
  region?: Region | undefined;
}

/** "Detect blur": the model's own proposal, without restoring anything. */
export interface DetectRequest {
  jobId: string;
  photoId: string;
  modelId?: string | undefined;
  threshold?: number | undefined;
  device?: DeviceChoice | undefined;
}

export interface DetectResult {
  jobId: string;
  provider: string;
  fallbackReason: string | undefined;
  threshold: number;
  keptRatio: number;
  seconds: number;
  /** Encoder stage 0's keep probability per pixel (0..255), at the photo's size. */
  confidence: GrayImage;
  /** Each stage's window decisions (255 = processed), stage order of docs/model-contract.md. */
  decisions: DecisionGrids;
}

/** `count` grids of `width` x `height` cells of `factor` photo pixels, stacked: data[(k * height + y) * width + x].
 * A run in which no tile ran (everything protected) gives all 0, shaped by the model's manifest. */
export interface DecisionGrids {
  count: number;
  width: number;
  height: number;
  factor: number;
  /** Window edge in photo pixels per stage (factor * 2^level): where that stage's window grid lies. */
  windows: number[];
  data: Uint8Array;
}

export interface SaveMaskRequest {
  photoId: string;
  /** The mask at the photo's size; undefined (or all auto) removes the sidecar. */
  mask: GrayImage | undefined;
}

export interface SaveMaskResult {
  /** The sidecar's file name, undefined when it was removed. */
  file: string | undefined;
}

/** Formats the export dialog offers. */
export const EXPORT_FORMATS = ['jpeg', 'png', 'tiff', 'webp', 'avif'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Metadata of the original carried to the export: everything (EXIF, XMP, ICC), or the colour profile only. */
export const EXPORT_METADATA = ['all', 'profile'] as const;
export type ExportMetadata = (typeof EXPORT_METADATA)[number];

export interface ExportRequest {
  photoId: string;
  format: ExportFormat;
  /** 1..100 for JPEG, WebP and AVIF (ignored by PNG and TIFF). */
  quality?: number | undefined;
  /** 16 only where the format holds it (PNG, TIFF): asked of JPEG, WebP or AVIF, the file is written as 8-bit
   * and `warnings` says so. Default: the original's depth where the format holds it, else 8. */
  bitDepth?: 8 | 16 | undefined;
  metadata: ExportMetadata;
}

export interface ExportResult {
  /** The file written; undefined when the user cancelled the dialog. */
  path: string | undefined;
  /** What the output could not keep, in plain words. */
  warnings: string[];
}

/** Photos added by one open or drop; files that are not readable photos are skipped with a reason. */
export interface OpenResult {
  photos: PhotoInfo[];
  skipped: { name: string; reason: string }[];
}

export interface ModelInfo {
  id: string;
  name: string;
  source: 'shipped' | 'imported';
  variant: string;
  default: boolean;
  /** The manifest's tau: where the Threshold slider starts for this model (undefined when it has none). */
  defaultThreshold: number | undefined;
}

/** An imported or shipped model's details for the models panel. */
export interface ModelCardInfo {
  id: string;
  /** MODEL_CARD.md, when the model has one. */
  card: string | undefined;
  manifest: Record<string, unknown>;
}

/** "Add model…": undefined `model` when the user cancelled the dialog; `existing` when that file was imported before. */
export interface ImportModelResult {
  model: ModelInfo | undefined;
  existing: boolean;
  seconds: number;
}

/** Which folder a batch dialog picks. */
export const BATCH_FOLDERS = ['input', 'output'] as const;
export type BatchFolderKind = (typeof BATCH_FOLDERS)[number];

/** The folder chosen for a batch (kept in main; the renderer only shows it). Undefined when cancelled. */
export interface BatchFolder {
  kind: BatchFolderKind;
  path: string;
}

export const ON_EXISTING_CHOICES = ['skip', 'rename', 'overwrite-outputs'] as const;

export interface BatchStartRequest {
  /** Chosen by the caller, like restore's. Input and output are the folders chosen with chooseBatchFolder. */
  jobId: string;
  modelId?: string | undefined;
  recursive?: boolean | undefined;
  onExisting?: (typeof ON_EXISTING_CHOICES)[number] | undefined;
  device?: DeviceChoice | undefined;
  /** Pruning threshold; undefined: the model's own. */
  threshold?: number | undefined;
  /** 0-1, how much of the restored image replaces the original; undefined: 1. */
  strength?: number | undefined;
  /** Output format; undefined: each photo's own. */
  format?: ExportFormat | undefined;
  /** 1-100 for JPEG, WebP and AVIF outputs; the others ignore it. Undefined: the encoder's default. */
  quality?: number | undefined;
  /** 8 or 16 bits for PNG and TIFF outputs; 8-bit formats ignore it. Undefined: each photo's own. */
  bitDepth?: 8 | 16 | undefined;
}

export const BATCH_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

export interface BatchControlRequest {
  jobId: string;
  action: BatchAction;
}

/** A photo the batch could not restore (or skipped), named by its path within the album folder. */
export interface BatchFailure {
  name: string;
  reason: string;
}

/** The running batch: photos processed of total, the photo in the worker, the ETA and failures so far. */
export interface BatchProgressEvent {
  jobId: string;
  processed: number;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  resumed: number;
  /** File name of the photo being worked on. */
  current: string | undefined;
  tiles: { done: number; total: number } | undefined;
  elapsedSeconds: number;
  etaSeconds: number | undefined;
  paused: boolean;
  cancelling: boolean;
  failures: BatchFailure[];
}

export interface BatchResult {
  jobId: string;
  outputFolder: string;
  counts: { total: number; done: number; resumed: number; skipped: number; failed: number; notRun: number };
  cancelled: boolean;
  /** Why the batch stopped before its end on its own (its journal could not be written, or the disk of the
   * output photos is full); undefined otherwise. The finished photos are kept: the same batch run again once
   * the disk is fixed resumes. */
  stopped: string | undefined;
  seconds: number;
  photosPerMinute: number | undefined;
  failures: BatchFailure[];
  skips: BatchFailure[];
  /** Photos restored again (counted done) because their earlier output was made with other settings: another
   * model, a repainted mask; the reason names what changed. */
  redone: BatchFailure[];
  /** The report files written in the output folder (file names). */
  report: { json: string; csv: string } | undefined;
}

export interface ProgressEvent {
  jobId: string;
  photoId: string;
  done: number;
  total: number;
  skipped: number;
}

/** Commands from the application menu (their accelerators are the menu's); the renderer acts on them. */
export const MENU_COMMANDS = [
  'open',
  'export',
  'run',
  'preview',
  'cancel',
  'detect',
  'undo',
  'redo',
  'view-fit',
  'view-actual',
  'zoom-in',
  'zoom-out',
  'toggle-compare',
  'next-photo',
  'previous-photo',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export type ErrorCode = 'invalid-request' | 'forbidden' | 'not-found' | 'cancelled' | 'busy' | 'failed';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** Every verb resolves to this: a value or a typed error (never a rejected promise for expected failures). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type Unsubscribe = () => void;

/** What `window.deblur` offers. */
export interface DeblurApi {
  /** Shows the open dialog; returns the photos added (empty when cancelled). */
  openPhotos(): Promise<Result<OpenResult>>;
  /** Adds dropped files (the preload turns File objects into paths; the renderer never sees paths). */
  openDropped(files: File[]): Promise<Result<OpenResult>>;
  /** Photos opened this session, in order. */
  listPhotos(): Promise<Result<PhotoInfo[]>>;
  getPhoto(id: string): Promise<Result<PhotoInfo>>;
  /** Closes a photo: its id and its URLs stop working. */
  closePhoto(id: string): Promise<Result<boolean>>;
  restore(request: RestoreRequest): Promise<Result<RestoredInfo>>;
  /** True when a running job was told to stop (it then resolves with the 'cancelled' error). */
  cancel(jobId: string): Promise<Result<boolean>>;
  /** "Detect blur": the confidence map and each stage's decisions for the photo, nothing written. */
  detect(request: DetectRequest): Promise<Result<DetectResult>>;
  /** The photo's sidecar mask, undefined when it has none (a sidecar of the wrong size is an error). */
  loadMask(photoId: string): Promise<Result<GrayImage | undefined>>;
  /** Writes (or removes) the photo's sidecar mask, atomically. */
  saveMask(request: SaveMaskRequest): Promise<Result<SaveMaskResult>>;
  /** Shows the save dialog and writes the restored photo with the chosen options (never over the original). */
  exportPhoto(request: ExportRequest): Promise<Result<ExportResult>>;
  listModels(): Promise<Result<ModelInfo[]>>;
  /** Shows the open dialog for a `.pth` checkpoint and imports it (undefined model when cancelled). */
  importModel(): Promise<Result<ImportModelResult>>;
  /** Makes a model the default; returns the updated list. */
  setDefaultModel(id: string): Promise<Result<ModelInfo[]>>;
  /** Removes an imported model (shipped ones stay); returns the updated list. */
  removeModel(id: string): Promise<Result<ModelInfo[]>>;
  modelCard(id: string): Promise<Result<ModelCardInfo>>;
  /** Shows a folder dialog for the batch's input or output; undefined when cancelled. */
  chooseBatchFolder(kind: BatchFolderKind): Promise<Result<BatchFolder | undefined>>;
  /** Runs a batch over the chosen folders; resolves with the summary when it ends (also when cancelled, or
   * stopped by a disk it cannot write: see BatchResult.stopped). */
  startBatch(request: BatchStartRequest): Promise<Result<BatchResult>>;
  /** Pause (after the running photo), resume or cancel; false when no such batch runs. */
  controlBatch(request: BatchControlRequest): Promise<Result<boolean>>;
  onBatchProgress(callback: (event: BatchProgressEvent) => void): Unsubscribe;
  onProgress(callback: (event: ProgressEvent) => void): Unsubscribe;
  /** Photos added from outside the renderer (menu Open, recent files). */
  onPhotosAdded(callback: (opened: OpenResult) => void): Unsubscribe;
  onMenuCommand(callback: (command: MenuCommand) => void): Unsubscribe;
}

/** Invoke channels: one per request verb (openDropped travels as `photos:add` with paths). */
export const CHANNELS = {
  openPhotos: 'photos:open',
  addPaths: 'photos:add',
  listPhotos: 'photos:list',
  getPhoto: 'photos:get',
  closePhoto: 'photos:close',
  restore: 'restore:run',
  cancel: 'restore:cancel',
  detect: 'restore:detect',
  loadMask: 'mask:load',
  saveMask: 'mask:save',
  exportPhoto: 'photos:export',
  listModels: 'models:list',
  importModel: 'models:import',
  setDefaultModel: 'models:set-default',
  removeModel: 'models:remove',
  modelCard: 'models:card',
  chooseBatchFolder: 'batch:choose-folder',
  startBatch: 'batch:start',
  controlBatch: 'batch:control',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Event channels, main to renderer. */
export const EVENTS = {
  progress: 'event:progress',
  photosAdded: 'event:photos-added',
  menuCommand: 'event:menu-command',
  batchProgress: 'event:batch-progress',
} as const;
export type EventChannel = (typeof EVENTS)[keyof typeof EVENTS];

export interface EventPayloads {
  [EVENTS.progress]: ProgressEvent;
  [EVENTS.photosAdded]: OpenResult;
  [EVENTS.menuCommand]: MenuCommand;
  [EVENTS.batchProgress]: BatchProgressEvent;
}

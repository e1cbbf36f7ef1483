// THE typed API between the renderer and main (docs/design.md, principle 1). Main implements it (src-main/ipc
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
  format: string;
  depth: 8 | 16;
  url: string;
  thumbnailUrl: string;
  /** The last restore of this photo in this session, if any. */
  restored: RestoredInfo | undefined;
}

/** The outcome of one restore: the result image and what the engine reports. */
export interface RestoredInfo {
  jobId: string;
  url: string;
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
}

/** Photos added by one open or drop; files that are not readable photos are skipped with a reason. */
export interface OpenResult {
  photos: PhotoInfo[];
  skipped: { name: string; reason: string }[];
}

export interface SaveAsRequest {
  photoId: string;
}

export interface SaveAsResult {
  /** The file written; undefined when the user cancelled the dialog. */
  path: string | undefined;
}

export interface ModelInfo {
  id: string;
  name: string;
  source: 'shipped' | 'imported';
  variant: string;
  default: boolean;
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
  'save-as',
  'run',
  'cancel',
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
  /** Shows the save dialog and writes the restored photo (format and metadata of the original). */
  saveAs(request: SaveAsRequest): Promise<Result<SaveAsResult>>;
  listModels(): Promise<Result<ModelInfo[]>>;
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
  saveAs: 'photos:save-as',
  listModels: 'models:list',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Event channels, main to renderer. */
export const EVENTS = {
  progress: 'event:progress',
  photosAdded: 'event:photos-added',
  menuCommand: 'event:menu-command',
} as const;
export type EventChannel = (typeof EVENTS)[keyof typeof EVENTS];

export interface EventPayloads {
  [EVENTS.progress]: ProgressEvent;
  [EVENTS.photosAdded]: OpenResult;
  [EVENTS.menuCommand]: MenuCommand;
}

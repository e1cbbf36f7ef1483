// The app's main-process services behind the contract: the opened photos, restore jobs with progress and cancel,
// the images the renderer may load, and saving results. No electron here: the shell is a StudioHost.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import {
  EVENTS,
  type BatchAction,
  type BatchFolder,
  type BatchFolderKind,
  type BatchResult,
  type BatchStartRequest,
  type ImportModelResult,
  type ModelCardInfo,
  type ModelInfo,
  type OpenResult,
  type PhotoInfo,
  type RestoreRequest,
  type RestoredInfo,
  type SaveAsResult,
} from '../contract';
import { displayImage, formatFromPath, thumbnailJpeg, writeFileAtomic } from '../imaging';
import { CancelledError, InferenceEngine, defaultThreads } from '../inference';
import type { RegistryRoots } from '../models/registry';
import { restorePhoto } from '../restore';
import { BatchService } from './batch';
import { ApiFailure } from './errors';
import type { ImageKind, StudioHost } from './host';
import { PhotoLibrary, folderOf, type OpenedPhoto } from './library';
import { ModelService } from './models';

export interface StudioOptions {
  /** Where models are looked up (default: the shipped models/ folder and the user's imported models). */
  registry?: RegistryRoots;
  /** Where results are written before the user saves them (default: a folder in the OS temp dir). */
  cacheDir?: string;
  engine?: InferenceEngine;
  /** The "Add model…" worker script (the bundled app's import-worker.js; default: the source entry). */
  importWorker?: URL;
  threads?: number;
}

export class Studio {
  private readonly library = new PhotoLibrary();
  private readonly jobs = new Map<string, AbortController>();
  private readonly results = new Map<string, RestoredInfo>();
  private readonly thumbnails = new Map<string, Promise<Buffer>>();
  private readonly engine: InferenceEngine;
  private readonly cacheDir: string;
  private readonly models: ModelService;
  private readonly batch: BatchService;

  constructor(
    private readonly host: StudioHost,
    private readonly options: StudioOptions = {},
  ) {
    this.engine = options.engine ?? new InferenceEngine();
    this.cacheDir = options.cacheDir ?? join(tmpdir(), `deblur-studio-${process.pid}`);
    this.models = new ModelService(host, options.registry, options.importWorker);
    this.batch = new BatchService(host, this.engine, (id) => this.models.entry(id), options.threads);
  }

  async openPhotos(): Promise<OpenResult> {
    return this.addPaths(await this.host.chooseOpenPaths());
  }

  async addPaths(paths: readonly string[]): Promise<OpenResult> {
    const { photos, skipped } = await this.library.add(paths);
    if (photos.length) this.host.opened?.(photos.map((photo) => photo.path));
    return { photos: photos.map((photo) => this.info(photo)), skipped };
  }

  listPhotos(): PhotoInfo[] {
    return this.library.list().map((photo) => this.info(photo));
  }

  getPhoto(id: string): PhotoInfo {
    return this.info(this.photo(id));
  }

  async closePhoto(id: string): Promise<boolean> {
    const photo = this.library.remove(id);
    if (!photo) return false;
    this.thumbnails.delete(id);
    this.results.delete(id);
    await rm(join(this.cacheDir, id), { recursive: true, force: true });
    return true;
  }

  listModels(): ModelInfo[] {
    return this.models.list();
  }

  importModel(): Promise<ImportModelResult> {
    return this.models.import();
  }

  setDefaultModel(id: string): Promise<ModelInfo[]> {
    return this.models.setDefault(id);
  }

  removeModel(id: string): Promise<ModelInfo[]> {
    return this.models.remove(id);
  }

  modelCard(id: string): ModelCardInfo {
    return this.models.card(id);
  }

  chooseBatchFolder(kind: BatchFolderKind): Promise<BatchFolder | undefined> {
    return this.batch.chooseFolder(kind);
  }

  startBatch(request: BatchStartRequest): Promise<BatchResult> {
    return this.batch.start(request);
  }

  controlBatch(jobId: string, action: BatchAction): boolean {
    return this.batch.control(jobId, action);
  }

  async restore(request: RestoreRequest): Promise<RestoredInfo> {
    const photo = this.photo(request.photoId);
    if (this.jobs.has(request.jobId)) throw new ApiFailure('busy', `job ${request.jobId} is already running`);
    const model = this.models.entry(request.modelId);
    const controller = new AbortController();
    this.jobs.set(request.jobId, controller);
    const folder = join(this.cacheDir, photo.id, request.jobId);
    try {
      await mkdir(folder, { recursive: true });
      const report = await restorePhoto(
        this.engine,
        {
          input: photo.path,
          output: folder + '/',
          modelDir: model.dir,
          threshold: request.threshold,
          strength: request.strength,
          device: request.device,
          threads: this.options.threads ?? defaultThreads(),
        },
        {
          signal: controller.signal,
          onProgress: (progress) =>
            this.host.emit(EVENTS.progress, { jobId: request.jobId, photoId: photo.id, ...progress }),
        },
      );
      const previous = photo.restored;
      photo.restored = { path: report.output, jobId: request.jobId };
      if (previous) await rm(join(this.cacheDir, photo.id, previous.jobId), { recursive: true, force: true });
      const info: RestoredInfo = {
        jobId: request.jobId,
        url: this.host.imageUrl('result', photo.id, request.jobId),
        width: photo.summary.width,
        height: photo.summary.height,
        provider: report.provider,
        fallbackReason: report.fallbackReason,
        keptRatio: report.keptRatio,
        threshold: report.threshold,
        strength: request.strength ?? 1,
        seconds: report.seconds,
        tiles: report.tiles,
        warnings: report.warnings,
      };
      this.results.set(photo.id, info);
      return info;
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      if (error instanceof CancelledError) throw new ApiFailure('cancelled', 'restore cancelled');
      throw error;
    } finally {
      this.jobs.delete(request.jobId);
    }
  }

  cancel(jobId: string): boolean {
    const controller = this.jobs.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Writes the restored photo where the user chooses (never over its original). */
  async saveAs(photoId: string): Promise<SaveAsResult> {
    const photo = this.photo(photoId);
    const restored = photo.restored;
    if (!restored) throw new ApiFailure('not-found', `${basename(photo.path)} has not been restored yet`);
    const ext = extname(restored.path);
    const suggested = join(folderOf(photo), `${basename(photo.path, extname(photo.path))}-deblurred${ext}`);
    const chosen = await this.host.chooseSavePath(suggested);
    if (!chosen) return { path: undefined };
    const target = resolve(chosen);
    if (target === photo.path) throw new ApiFailure('forbidden', 'refusing to overwrite the original photo');
    if (formatFromPath(target) !== formatFromPath(restored.path)) {
      throw new ApiFailure('invalid-request', `save as ${ext} (other formats come with the export dialog)`);
    }
    await writeFileAtomic(target, await readFile(restored.path), { protect: [photo.path] });
    return { path: target };
  }

  /** The bytes behind an image URL; only photos the user opened (and their results) are ever served. */
  async image(kind: ImageKind, id: string): Promise<{ data: Buffer; mime: string }> {
    const photo = this.photo(id);
    if (kind === 'thumb') {
      let thumb = this.thumbnails.get(id);
      if (!thumb) {
        thumb = thumbnailJpeg(photo.path);
        thumb.catch(() => this.thumbnails.delete(id));
        this.thumbnails.set(id, thumb);
      }
      return { data: await thumb, mime: 'image/jpeg' };
    }
    if (kind === 'result') {
      if (!photo.restored) throw new ApiFailure('not-found', 'no result yet');
      return displayImage(photo.restored.path, formatFromPath(photo.restored.path) ?? photo.summary.format);
    }
    return displayImage(photo.path, photo.summary.format);
  }

  async close(): Promise<void> {
    for (const controller of this.jobs.values()) controller.abort();
    this.batch.cancelAll();
    await this.engine.close();
    await rm(this.cacheDir, { recursive: true, force: true });
  }

  private photo(id: string): OpenedPhoto {
    const photo = this.library.get(id);
    if (!photo) throw new ApiFailure('not-found', `no open photo with id ${id}`);
    return photo;
  }

  private info(photo: OpenedPhoto): PhotoInfo {
    const { width, height, format, depth } = photo.summary;
    return {
      id: photo.id,
      name: basename(photo.path),
      folder: folderOf(photo),
      width,
      height,
      format,
      depth,
      url: this.host.imageUrl('photo', photo.id),
      thumbnailUrl: this.host.imageUrl('thumb', photo.id),
      restored: this.results.get(photo.id),
    };
  }
}

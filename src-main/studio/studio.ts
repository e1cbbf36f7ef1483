// The app's main-process services behind the contract: the opened photos, restore and detect jobs with progress
// and cancel, masks, the images the renderer may load, and export. No electron here: the shell is a StudioHost.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  type BatchAction,
  type BatchFolder,
  type BatchFolderKind,
  type BatchResult,
  type BatchStartRequest,
  type DetectRequest,
  type DetectResult,
  type ExportRequest,
  type ExportResult,
  type GrayImage,
  type ImportModelResult,
  type ModelCardInfo,
  type ModelInfo,
  type OpenResult,
  type PhotoInfo,
  type RestoreRequest,
  type RestoredInfo,
  type SaveMaskRequest,
  type SaveMaskResult,
} from '../contract';
import { displayImage, thumbnailJpeg, type ViewFile } from '../imaging';
import { InferenceEngine, defaultThreads } from '../inference';
import type { RegistryRoots } from '../models/registry';
import { BatchService } from './batch';
import { detectInStudio } from './detect';
import { ApiFailure } from './errors';
import { exportPhoto } from './export';
import { isTileKind, type ImageKind, type StudioHost, type TileIndex } from './host';
import { PhotoJobs } from './jobs';
import { PhotoLibrary, folderOf, type OpenedPhoto } from './library';
import { hasSidecar, loadSidecar, saveSidecar } from './masks';
import { ModelService } from './models';
import { restoreInStudio, type RestoreContext } from './restore';
import { ViewImages, viewImage, type ViewSource } from './view';

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
  private readonly jobs: PhotoJobs;
  private readonly results = new Map<string, RestoredInfo>();
  private readonly thumbnails = new Map<string, Promise<Buffer>>();
  private readonly views = new ViewImages();
  private readonly engine: InferenceEngine;
  private readonly cacheDir: string;
  private readonly models: ModelService;
  private readonly batch: BatchService;

  constructor(
    private readonly host: StudioHost,
    private readonly options: StudioOptions = {},
  ) {
    this.engine = options.engine ?? new InferenceEngine();
    this.jobs = new PhotoJobs(host);
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
    // Its running restore or detect stops first: otherwise it would write a result into the cache removed below.
    await this.jobs.cancelPhoto(id);
    this.thumbnails.delete(id);
    this.views.forget('photo', id, photo.path);
    if (photo.restored) this.views.forget('result', id, photo.restored.path);
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

  async removeModel(id: string): Promise<ModelInfo[]> {
    const { dir } = this.models.entry(id);
    const models = await this.models.remove(id);
    // A later import may reuse the id and folder: the worker must not run the removed weights from memory.
    this.engine.release(dir);
    return models;
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

  /** A full restore (the photo's result) or, with a region, a loupe preview; with the editor's mask or the sidecar. */
  async restore(request: RestoreRequest): Promise<RestoredInfo> {
    const photo = this.photo(request.photoId);
    const model = this.models.entry(request.modelId);
    return this.jobs.run(request.jobId, photo.id, 'restore', async (job) => {
      const previous = photo.restored;
      const info = await restoreInStudio(this.restoreContext(), photo, model, request, job);
      if (!request.region) {
        this.results.set(photo.id, info);
        if (previous) this.views.forget('result', photo.id, previous.path);
      }
      return info;
    });
  }

  /** "Detect blur": the model's proposal (confidence and decisions), nothing written. */
  async detect(request: DetectRequest): Promise<DetectResult> {
    const photo = this.photo(request.photoId);
    const model = this.models.entry(request.modelId);
    return this.jobs.run(request.jobId, photo.id, 'detect', (job) =>
      detectInStudio(this.restoreContext(), photo, model, request, job),
    );
  }

  cancel(jobId: string): boolean {
    return this.jobs.cancel(jobId);
  }

  async loadMask(photoId: string): Promise<GrayImage | undefined> {
    return loadSidecar(this.photo(photoId));
  }

  async saveMask(request: SaveMaskRequest): Promise<SaveMaskResult> {
    return saveSidecar(this.photo(request.photoId), request.mask);
  }

  /** Writes the restored photo where the user chooses, in the chosen format (never over its original). */
  async exportPhoto(request: ExportRequest): Promise<ExportResult> {
    return exportPhoto(this.host, this.photo(request.photoId), request);
  }

  /**
   * The bytes behind an image URL; only photos the user opened (and their results) are ever served. A tile kind
   * needs a tile inside the image (contract: ViewImage), any other kind none.
   */
  async image(kind: ImageKind, id: string, tile?: TileIndex): Promise<{ data: Buffer; mime: string }> {
    const photo = this.photo(id);
    if (isTileKind(kind) !== Boolean(tile)) {
      throw new ApiFailure('invalid-request', `${kind} ${isTileKind(kind) ? 'needs' : 'takes no'} tile`);
    }
    if (kind === 'photo-screen' || kind === 'result-screen') {
      const source = kind === 'photo-screen' ? 'photo' : 'result';
      return this.views.screen(source, id, this.viewFile(photo, source));
    }
    if (tile) return this.views.tile(this.viewFile(photo, kind === 'photo-tile' ? 'photo' : 'result'), tile);
    if (kind === 'thumb') {
      let thumb = this.thumbnails.get(id);
      if (!thumb) {
        thumb = thumbnailJpeg(photo.path);
        thumb.catch(() => this.thumbnails.delete(id));
        this.thumbnails.set(id, thumb);
      }
      return { data: await thumb, mime: 'image/jpeg' };
    }
    if (kind === 'result' || kind === 'preview') {
      const file = kind === 'result' ? photo.restored : photo.preview;
      if (!file) throw new ApiFailure('not-found', `no ${kind} yet`);
      return displayImage(file.path, 'png');
    }
    return displayImage(photo.path, photo.summary.format);
  }

  async close(): Promise<void> {
    // Jobs end before the worker goes: a photo stopped by its worker's exit would be recorded as failed.
    await Promise.all([this.jobs.cancelAll(), this.batch.cancelAll()]);
    await this.engine.close();
    await rm(this.cacheDir, { recursive: true, force: true });
  }

  private photo(id: string): OpenedPhoto {
    const photo = this.library.get(id);
    if (!photo) throw new ApiFailure('not-found', `no open photo with id ${id}`);
    return photo;
  }

  /** The file the viewer draws for a photo or its result (upright, at the photo's size). */
  private viewFile(photo: OpenedPhoto, source: ViewSource): ViewFile {
    const { width, height, format } = photo.summary;
    if (source === 'photo') return { path: photo.path, format, width, height };
    if (!photo.restored) throw new ApiFailure('not-found', 'no result yet');
    return { path: photo.restored.path, format: 'png', width, height };
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
      view: viewImage(this.host, 'photo', photo.id, photo.summary),
      restored: this.results.get(photo.id),
      hasMask: hasSidecar(photo),
    };
  }

  private restoreContext(): RestoreContext {
    return {
      host: this.host,
      engine: this.engine,
      cacheDir: this.cacheDir,
      threads: this.options.threads ?? defaultThreads(),
    };
  }
}

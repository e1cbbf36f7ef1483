// A scripted stand-in for main (transport only) for the renderer's tests: photos, models, sidecar masks, detect.
import type {
  DeblurApi,
  DecisionGrids,
  DetectRequest,
  DetectResult,
  GrayImage,
  MenuCommand,
  ModelInfo,
  PhotoInfo,
  ProgressEvent,
  RestoredInfo,
  SaveMaskRequest,
} from '../../src-main/contract';

/** A model in the picker: an imported pruned model at tau 0.5 unless told otherwise. */
export function modelInfo(id: string, name: string, extra: Partial<ModelInfo> = {}): ModelInfo {
  return { id, name, source: 'imported', variant: 'pruned', default: false, defaultThreshold: 0.5, ...extra };
}

export function dataUrl(width: number, height: number, color: string): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = color;
  context.fillRect(0, 0, width, height);
  return canvas.toDataURL('image/png');
}

export function photoInfo(
  id: string,
  width: number,
  height: number,
  extra: Partial<PhotoInfo> = {},
): PhotoInfo {
  const url = dataUrl(width, height, '#606060');
  return {
    id,
    name: `${id}.png`,
    folder: '/photos',
    width,
    height,
    format: 'png',
    depth: 8,
    url,
    thumbnailUrl: url,
    view: {
      screenUrl: url,
      screenWidth: width,
      screenHeight: height,
      tileUrl: 'tile/{column}/{row}',
      tileSize: 1024,
    },
    restored: undefined,
    hasMask: false,
    ...extra,
  };
}

/** A full restore of `photo` (its url, view and size) with no decisions; `extra` overrides any field. */
export function restoredInfo(
  photo: Pick<PhotoInfo, 'url' | 'view' | 'width' | 'height'>,
  extra: Partial<RestoredInfo> = {},
): RestoredInfo {
  return {
    jobId: 'run',
    url: photo.url,
    view: photo.view,
    width: photo.width,
    height: photo.height,
    provider: 'cpu',
    fallbackReason: undefined,
    keptRatio: 0.5,
    threshold: 0.5,
    strength: 1,
    seconds: 1,
    tiles: { total: 1, run: 1, skipped: 0, size: 256 },
    warnings: [],
    region: undefined,
    decisions: { count: 0, width: 0, height: 0, factor: 0, windows: [], data: new Uint8Array(0) },
    ...extra,
  };
}

/** Stage windows of the contract: 8 * 2^level, level 0..4 down and back up. */
export const WINDOWS = [8, 16, 32, 64, 128, 64, 32, 16, 8];

/** 9 stages of `factor` 8 cells over width x height photo pixels; `cells[k]` lists stage k's processed cells. */
export function grids(
  width: number,
  height: number,
  cells: Record<number, [number, number][]>,
): DecisionGrids {
  const w = Math.ceil(width / 8);
  const h = Math.ceil(height / 8);
  const data = new Uint8Array(9 * w * h);
  for (const [stage, list] of Object.entries(cells)) {
    for (const [cx, cy] of list) data[(Number(stage) * h + cy) * w + cx] = 255;
  }
  return { count: 9, width: w, height: h, factor: 8, windows: WINDOWS, data };
}

export function scriptedApi(photos: PhotoInfo[], sidecars: Record<string, GrayImage> = {}) {
  const progress = new Set<(event: ProgressEvent) => void>();
  const menu = new Set<(command: MenuCommand) => void>();
  const saved: SaveMaskRequest[] = [];
  const detects: DetectRequest[] = [];
  const loads: string[] = [];
  let finishDetect: ((result: DetectResult | 'cancelled') => void) | undefined;
  const failed = { ok: false as const, error: { code: 'failed' as const, message: 'not scripted' } };
  const api: DeblurApi = {
    openPhotos: async () => ({ ok: true, value: { photos, skipped: [] } }),
    openDropped: async () => ({ ok: true, value: { photos: [], skipped: [] } }),
    listPhotos: async () => ({ ok: true, value: photos }),
    getPhoto: async (id) => ({ ok: true, value: photos.find((p) => p.id === id)! }),
    closePhoto: async () => ({ ok: true, value: true }),
    restore: async () => failed,
    // As main's: only the running detect of that id is stopped; any other id is answered false.
    cancel: async (jobId) => {
      const running = finishDetect !== undefined && jobId === detects.at(-1)?.jobId;
      if (running) finishDetect!('cancelled');
      return { ok: true, value: running };
    },
    detect: (request) => {
      detects.push(request);
      return new Promise((resolve) => {
        finishDetect = (result) => {
          finishDetect = undefined;
          resolve(
            result === 'cancelled'
              ? { ok: false, error: { code: 'cancelled', message: 'cancelled' } }
              : { ok: true, value: result },
          );
        };
      });
    },
    loadMask: async (photoId) => {
      loads.push(photoId);
      return { ok: true, value: sidecars[photoId] };
    },
    saveMask: async (request) => {
      saved.push(request);
      return { ok: true, value: { file: request.mask ? `${request.photoId}.png.mask.png` : undefined } };
    },
    exportPhoto: async () => ({ ok: true, value: { path: undefined, warnings: [] } }),
    listModels: async () => ({ ok: true, value: [] }),
    importModel: async () => ({ ok: true, value: { model: undefined, existing: false, seconds: 0 } }),
    setDefaultModel: async () => ({ ok: true, value: [] }),
    removeModel: async () => ({ ok: true, value: [] }),
    modelCard: async (id) => ({ ok: true, value: { id, card: undefined, manifest: {} } }),
    chooseBatchFolder: async () => ({ ok: true, value: undefined }),
    startBatch: async () => failed,
    controlBatch: async () => ({ ok: true, value: false }),
    onBatchProgress: () => () => {},
    onProgress: (callback) => (progress.add(callback), () => progress.delete(callback)),
    onPhotosAdded: () => () => {},
    onMenuCommand: (callback) => (menu.add(callback), () => menu.delete(callback)),
  };
  return {
    api,
    saved,
    detects,
    loads,
    emitProgress: (event: ProgressEvent) => progress.forEach((callback) => callback(event)),
    menu: (command: MenuCommand) => menu.forEach((callback) => callback(command)),
    finishDetect: (result: DetectResult) => finishDetect?.(result),
  };
}

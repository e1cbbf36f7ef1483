// The preload: exposes the contract's verbs and event subscriptions on `window.deblur`, nothing else (never
// ipcRenderer). Sandboxed, so it is bundled to CommonJS with the contract's constants inlined.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNELS, EVENTS, type DeblurApi, type EventChannel, type EventPayloads } from '../contract/api';

const invoke = (channel: string, payload?: unknown) => ipcRenderer.invoke(channel, payload);

function subscribe<E extends EventChannel>(event: E, callback: (payload: EventPayloads[E]) => void) {
  const listener = (_event: IpcRendererEvent, payload: EventPayloads[E]) => callback(payload);
  ipcRenderer.on(event, listener);
  return () => void ipcRenderer.removeListener(event, listener);
}

const api: DeblurApi = {
  openPhotos: () => invoke(CHANNELS.openPhotos),
  // Dropped File objects have no path in the renderer; webUtils gives it here, and main checks each file.
  openDropped: (files) =>
    invoke(
      CHANNELS.addPaths,
      files.map((file) => webUtils.getPathForFile(file)),
    ),
  listPhotos: () => invoke(CHANNELS.listPhotos),
  getPhoto: (id) => invoke(CHANNELS.getPhoto, id),
  closePhoto: (id) => invoke(CHANNELS.closePhoto, id),
  restore: (request) => invoke(CHANNELS.restore, request),
  cancel: (jobId) => invoke(CHANNELS.cancel, jobId),
  detect: (request) => invoke(CHANNELS.detect, request),
  loadMask: (photoId) => invoke(CHANNELS.loadMask, photoId),
  saveMask: (request) => invoke(CHANNELS.saveMask, request),
  exportPhoto: (request) => invoke(CHANNELS.exportPhoto, request),
  listModels: () => invoke(CHANNELS.listModels),
  importModel: () => invoke(CHANNELS.importModel),
  setDefaultModel: (id) => invoke(CHANNELS.setDefaultModel, id),
  removeModel: (id) => invoke(CHANNELS.removeModel, id),
  modelCard: (id) => invoke(CHANNELS.modelCard, id),
  chooseBatchFolder: (kind) => invoke(CHANNELS.chooseBatchFolder, kind),
  startBatch: (request) => invoke(CHANNELS.startBatch, request),
  controlBatch: (request) => invoke(CHANNELS.controlBatch, request),
  onBatchProgress: (callback) => subscribe(EVENTS.batchProgress, callback),
  onProgress: (callback) => subscribe(EVENTS.progress, callback),
  onPhotosAdded: (callback) => subscribe(EVENTS.photosAdded, callback),
  onMenuCommand: (callback) => subscribe(EVENTS.menuCommand, callback),
};

contextBridge.exposeInMainWorld('deblur', api);

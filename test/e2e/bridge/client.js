// The test transport's `window.deblur`: each verb is a POST to the bridge (which calls the same ipc dispatch as
// Electron's ipcMain), events arrive by Server-Sent Events. CHANNELS and EVENTS (from the contract) and the byte
// codec (bytes.js: Uint8Arrays as tagged base64) are prepended by the server. Loaded as a classic script before
// the app's module script.
/* global window, EventSource, CHANNELS, EVENTS, bytesReplacer, bytesReviver */
(() => {
  const invoke = async (channel, payload) => {
    const response = await fetch('/__bridge/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, payload }, bytesReplacer),
    });
    return JSON.parse(await response.text(), bytesReviver);
  };
  const listeners = new Map();
  const source = new EventSource('/__bridge/events');
  source.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data, bytesReviver);
    for (const callback of listeners.get(event) ?? []) callback(payload);
  };
  const subscribe = (event, callback) => {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(callback);
    return () => listeners.get(event).delete(callback);
  };
  window.deblur = {
    openPhotos: () => invoke(CHANNELS.openPhotos),
    // Dropped files have no path in a plain browser: the test transport cannot add them.
    openDropped: async () => ({
      ok: false,
      error: { code: 'invalid-request', message: 'drop is not available over the test transport' },
    }),
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
})();

// Electron entry: one secure window over the studio services. Kept thin: everything it calls is tested without
// Electron (studio, ipc dispatch, recent files, window state); only the wiring below is not.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, screen } from 'electron';
import { EVENTS, type EventChannel, type EventPayloads } from '../contract';
import { FORMAT_FACTS, formatFromPath } from '../imaging';
import { InferenceEngine } from '../inference';
import { createDispatch, senderCheck } from '../ipc';
import { registerIpc } from '../ipc/electron';
import { configurePaths } from '../paths';
import { Studio, type StudioHost } from '../studio';
import { buildMenu } from './menu';
import { handlePhotoScheme, photoUrl, registerPhotoScheme } from './protocol';
import { RecentFiles } from './recent';
import { lockDown } from './security';
import { DEFAULT_SIZE, loadWindowState, saveWindowState } from './window-state';

const PHOTO_FILTER = { name: 'Photos', extensions: ['jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp', 'avif'] };
configurePaths({
  resourcesPath: process.resourcesPath,
  isPackaged: app.isPackaged,
  userData: app.getPath('userData'),
});
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const rendererUrl = devUrl ?? pathToFileURL(join(import.meta.dirname, '..', 'renderer', 'index.html')).href;
const isAppSender = senderCheck(rendererUrl);
const isAppUrl = (url: string) => isAppSender({ url, topFrame: true });

registerPhotoScheme();
let window: BrowserWindow | undefined;

const host: StudioHost = {
  async chooseOpenPaths() {
    const options = { properties: ['openFile', 'multiSelections'] as const, filters: [PHOTO_FILTER] };
    const result = window
      ? await dialog.showOpenDialog(window, { ...options, properties: [...options.properties] })
      : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
    return result.canceled ? [] : result.filePaths;
  },
  async chooseSavePath(suggested) {
    if (!window) return undefined;
    // The suggestion ends in the export format's extension. With it as the filter, macOS and Windows add it to a
    // bare name before their overwrite prompt (GTK does not: export refuses that case).
    const format = formatFromPath(suggested);
    const filters = format
      ? [{ name: format.toUpperCase(), extensions: FORMAT_FACTS[format].extensions.map((e) => e.slice(1)) }]
      : [];
    const result = await dialog.showSaveDialog(window, { defaultPath: suggested, filters });
    return result.canceled ? undefined : result.filePath;
  },
  async chooseFolder(kind) {
    const options = {
      title: kind === 'input' ? 'Batch: folder of photos' : 'Batch: output folder',
      properties:
        kind === 'input'
          ? ['openDirectory' as const]
          : ['openDirectory' as const, 'createDirectory' as const],
    };
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  },
  async chooseModelFile() {
    const options = {
      title: 'Add model: LMD-ViT checkpoint',
      properties: ['openFile' as const],
      filters: [{ name: 'PyTorch checkpoint', extensions: ['pth', 'pt'] }],
    };
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  },
  emit: <E extends EventChannel>(event: E, payload: EventPayloads[E]) =>
    window?.webContents.send(event, payload),
  imageUrl: photoUrl,
  opened: (paths) => {
    for (const path of paths) app.addRecentDocument(path);
    void recent.add(paths).then(refreshMenu);
  },
};

const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'));
// The bundled worker (electron.vite.config.ts builds it next to this file).
const engine = new InferenceEngine(new URL('./inference-worker.js', import.meta.url));
const studio = new Studio(host, {
  engine,
  importWorker: new URL('./import-worker.js', import.meta.url),
});

function refreshMenu(): void {
  Menu.setApplicationMenu(
    buildMenu({
      open: () => void studio.openPhotos().then((opened) => host.emit(EVENTS.photosAdded, opened)),
      openRecent: (path) =>
        void studio.addPaths([path]).then((opened) => host.emit(EVENTS.photosAdded, opened)),
      clearRecent: () => void recent.clear().then(refreshMenu),
      recent: () => recent.list(),
      command: (command) => host.emit(EVENTS.menuCommand, command),
    }),
  );
}

/** Every window is made here, so each one clears `window` when it closes (macOS reopens on 'activate'). */
function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(state.bounds ?? DEFAULT_SIZE),
    minWidth: 640,
    minHeight: 420,
    show: false,
    backgroundColor: '#16181c',
    title: 'Deblur Studio',
    webPreferences: {
      preload: join(import.meta.dirname, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window = win;
  win.on('closed', () => {
    if (window === win) window = undefined;
  });
  if (state.maximized) win.maximize();
  const save = () =>
    void saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  win.on('close', save);
  // The renderer holds back the unload while a mask has unsaved strokes: ask before they are lost.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Close without saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'Some masks have unsaved changes',
      detail: 'Their strokes are lost if you close now. Save them with Save mask in the Mask panel.',
    });
    if (choice === 0) event.preventDefault(); // preventDefault here lets the unload go on
  });
  win.once('ready-to-show', () => win.show());
  void (devUrl
    ? win.loadURL(devUrl)
    : win.loadFile(join(import.meta.dirname, '..', 'renderer', 'index.html')));
}

app.whenReady().then(() => {
  lockDown(isAppUrl);
  handlePhotoScheme(studio);
  registerIpc(ipcMain, createDispatch(studio, isAppSender));
  refreshMenu();
  createWindow();
  app.on('activate', () => {
    if (!window) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for the studio to stop its jobs and worker and remove its temp cache, but at most 5 s.
let closing = false;
app.on('will-quit', (event) => {
  if (closing) return;
  closing = true;
  event.preventDefault();
  const limit = new Promise<void>((done) => setTimeout(done, 5000));
  void Promise.race([studio.close(), limit])
    .catch(() => undefined)
    .finally(() => app.quit());
});

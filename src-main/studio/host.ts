// What the shell around the studio provides: Electron's dialogs and webContents in the app, scripted answers and
// a WebSocket in the end-to-end tests. The studio itself never imports electron.
import type { BatchFolderKind, EventChannel, EventPayloads } from '../contract';

/** Images served by id: the photo, its thumbnail, its full result and its last loupe preview. */
export const IMAGE_KINDS = ['photo', 'thumb', 'result', 'preview'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export interface StudioHost {
  /** The open dialog: absolute paths, empty when cancelled. */
  chooseOpenPaths(): Promise<string[]>;
  /** The save dialog, starting at `suggested`: an absolute path, or undefined when cancelled. */
  chooseSavePath(suggested: string): Promise<string | undefined>;
  /** A folder dialog for the batch's input or output: an absolute path, or undefined when cancelled. */
  chooseFolder(kind: BatchFolderKind): Promise<string | undefined>;
  /** The open dialog for a PyTorch checkpoint (.pth): an absolute path, or undefined when cancelled. */
  chooseModelFile(): Promise<string | undefined>;
  /** Sends an event to the renderer. */
  emit<E extends EventChannel>(event: E, payload: EventPayloads[E]): void;
  /** The URL under which the renderer loads an image (served by `Studio.image(kind, id)`). */
  imageUrl(kind: ImageKind, id: string, version?: string): string;
  /** Told about every file the user opened (recent files). */
  opened?(paths: string[]): void;
}

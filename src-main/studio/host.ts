// What the shell around the studio provides: Electron's dialogs and webContents in the app, scripted answers and
// a WebSocket in the end-to-end tests. The studio itself never imports electron.
import type { BatchFolderKind, EventChannel, EventPayloads } from '../contract';

/**
 * Images served by id: the photo, its thumbnail, its full result and its last loupe preview, and for the viewer
 * the photo's and the result's screen copies and full-resolution tiles (the tile kinds name a tile as well).
 */
export const IMAGE_KINDS = [
  'photo',
  'thumb',
  'result',
  'preview',
  'photo-screen',
  'result-screen',
  'photo-tile',
  'result-tile',
] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];
export type TileKind = Extract<ImageKind, `${string}-tile`>;

/** A full-resolution tile by column and row (contract: ViewImage). */
export interface TileIndex {
  column: number;
  row: number;
}

/** One image URL's request: a kind and a photo id, and for a tile kind the tile. */
export interface ImageAddress {
  kind: ImageKind;
  id: string;
  tile: TileIndex | undefined;
}

export function isTileKind(kind: ImageKind): kind is TileKind {
  return kind.endsWith('-tile');
}

/**
 * Reads an image URL's kind and path (`<id>`, or `<id>/<column>/<row>` for a tile kind, plain decimal numbers),
 * strictly: anything else is undefined (and answered 404).
 */
export function parseImageAddress(kind: string, path: string): ImageAddress | undefined {
  const known = IMAGE_KINDS.find((k) => k === kind);
  if (!known) return undefined;
  if (!isTileKind(known))
    return /^[\w-]+$/.test(path) ? { kind: known, id: path, tile: undefined } : undefined;
  const match = /^([\w-]+)\/(0|[1-9]\d{0,5})\/(0|[1-9]\d{0,5})$/.exec(path);
  if (!match) return undefined;
  return { kind: known, id: match[1]!, tile: { column: Number(match[2]), row: Number(match[3]) } };
}

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
  /**
   * The URL under which the renderer loads an image (served by `Studio.image(kind, id, tile)`). `path` is the
   * photo id; for a tile kind it is followed by `/{column}/{row}`, placeholders the renderer fills in.
   */
  imageUrl(kind: ImageKind, path: string, version?: string): string;
  /** Told about every file the user opened (recent files). */
  opened?(paths: string[]): void;
}

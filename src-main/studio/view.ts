// The viewer's images of an open photo and of its result: the screen copy (a few kept, one per photo or result)
// and full-resolution tiles (cut from a kept decode). Dropped when the photo closes or its result is replaced.
import type { ViewImage } from '../contract';
import {
  TILE_SIZE,
  TileCutter,
  screenImage,
  screenSize,
  tileGrid,
  tileRect,
  type ServedImage,
  type ViewFile,
} from '../imaging';
import { ApiFailure } from './errors';
import type { StudioHost, TileIndex } from './host';

/** The photo as opened, or its full restore. */
export type ViewSource = 'photo' | 'result';

/** Screen copies kept: a 24 MP photo's is about 1-2 MB, so an album's worth stays small. */
const SCREENS_KEPT = 8;

/** The contract's description of how to draw `source` of photo `id` (`version` busts the cache of a new result). */
export function viewImage(
  host: StudioHost,
  source: ViewSource,
  id: string,
  size: { width: number; height: number },
  version?: string,
): ViewImage {
  const screen = screenSize(size.width, size.height);
  return {
    screenUrl: host.imageUrl(`${source}-screen`, id, version),
    screenWidth: screen.width,
    screenHeight: screen.height,
    tileUrl: host.imageUrl(`${source}-tile`, `${id}/{column}/{row}`, version),
    tileSize: TILE_SIZE,
  };
}

export class ViewImages {
  /** By `source:id`, least recently used first; an entry for another file (a replaced result) is stale. */
  private readonly screens = new Map<string, { path: string; image: Promise<ServedImage> }>();
  private readonly tiles = new TileCutter();

  screen(source: ViewSource, id: string, file: ViewFile): Promise<ServedImage> {
    const key = `${source}:${id}`;
    let entry = this.screens.get(key);
    this.screens.delete(key);
    if (!entry || entry.path !== file.path) {
      const image = screenImage(file);
      const made = { path: file.path, image };
      image.catch(() => {
        if (this.screens.get(key) === made) this.screens.delete(key);
      });
      entry = made;
    }
    this.screens.set(key, entry);
    while (this.screens.size > SCREENS_KEPT) this.screens.delete(this.screens.keys().next().value!);
    return entry.image;
  }

  async tile(file: ViewFile, tile: TileIndex): Promise<ServedImage> {
    const rect = tileRect(file.width, file.height, tile.column, tile.row);
    if (!rect) {
      const { columns, rows } = tileGrid(file.width, file.height);
      throw new ApiFailure(
        'invalid-request',
        `no tile ${tile.column},${tile.row}: a ${file.width}x${file.height} image has ${columns}x${rows} tiles`,
      );
    }
    return this.tiles.tile(file.path, rect);
  }

  /** Forgets what was kept of `source` of photo `id` (its file at `path`). */
  forget(source: ViewSource, id: string, path: string): void {
    this.screens.delete(`${source}:${id}`);
    this.tiles.forget(path);
  }
}

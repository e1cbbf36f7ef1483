// One image layer's full-resolution tiles as reactive state (the rules are in tiles.ts).
import type { ViewImage } from '../../../src-main/contract';
import { keepTiles, tilesIn, type PhotoRect, type Tile } from './tiles';

/** The tiles one image layer draws: those visible now and a few seen last. */
export class TileSet {
  shown = $state<Tile[]>([]);
  /** The image the shown tiles belong to (its tile URL): another one (a new result) starts afresh. */
  private template = '';
  private kept: Tile[] = [];

  /** Shows the tiles that meet `area` (none when undefined: the screen copy is enough). */
  update(image: ViewImage, width: number, height: number, area: PhotoRect | undefined): void {
    if (image.tileUrl !== this.template) this.kept = [];
    this.template = image.tileUrl;
    const next = area ? keepTiles(this.kept, tilesIn(image, width, height, area), area) : [];
    const same = next.length === this.kept.length && next.every((tile, i) => tile.url === this.kept[i]!.url);
    this.kept = next;
    if (!same) this.shown = next;
  }
}

// The engine's decision maps (float 0..1 per stage on the H/8 grid) as the contract's DecisionGrids (0..255),
// with each stage's window edge in photo pixels (docs/model-contract.md: stage l has windows of factor * 2^l).
import type { DecisionGrids } from '../contract';
import { mapToGray } from '../imaging';
import type { DecisionMaps } from '../inference';

/**
 * The level (resolution H/2^l) of each of `count` stages in a U-shaped network: the encoder goes down one level
 * per stage, the bottleneck is the deepest, the decoder comes back up. LMD-ViT's 9: [0,1,2,3,4,3,2,1,0].
 */
export function stageLevels(count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.min(k, count - 1 - k));
}

/** Quantizes the maps (round(v * 255)); shape and factor come from the maps themselves. */
export function toDecisionGrids(maps: DecisionMaps): DecisionGrids {
  const { count, width, height, factor } = maps;
  const data = mapToGray({ width, height: count * height, data: maps.data });
  return { count, width, height, factor, windows: stageLevels(count).map((l) => factor * 2 ** l), data };
}

/**
 * The grids of a run in which no tile ran (everything protected): every window unprocessed. Their shape comes
 * from the manifest's architecture (one map per stage in `depths`, stage 0's window in pixels); a manifest
 * without those gives empty grids (count 0).
 */
export function unprocessedGrids(
  architecture: unknown,
  photo: { width: number; height: number },
): DecisionGrids {
  const { depths, window } = (architecture ?? {}) as { depths?: unknown; window?: unknown };
  if (!Array.isArray(depths) || typeof window !== 'number' || !(window >= 1)) {
    return { count: 0, width: 0, height: 0, factor: 0, windows: [], data: new Uint8Array(0) };
  }
  const count = depths.length;
  const width = Math.ceil(photo.width / window);
  const height = Math.ceil(photo.height / window);
  const windows = stageLevels(count).map((l) => window * 2 ** l);
  return { count, width, height, factor: window, windows, data: new Uint8Array(count * width * height) };
}

/** The run's grids: from its maps, or all unprocessed when no tile ran. */
export function decisionGrids(
  maps: DecisionMaps | undefined,
  architecture: unknown,
  photo: { width: number; height: number },
): DecisionGrids {
  return maps && maps.count > 0 ? toDecisionGrids(maps) : unprocessedGrids(architecture, photo);
}

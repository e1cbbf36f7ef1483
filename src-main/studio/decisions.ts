// The engine's decision maps (float 0..1 per stage on the H/8 grid) as the contract's DecisionGrids (0..255),
// with each stage's window edge in photo pixels (docs/model-contract.md: stage l has windows of factor * 2^l).
import type { DecisionGrids } from '../contract';
import { mapToGray } from '../imaging';
import { unprocessedMaps, type DecisionMaps } from '../inference';

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

/** The run's grids; without maps, every window unprocessed (shaped from the manifest's architecture). */
export function decisionGrids(
  maps: DecisionMaps | undefined,
  architecture: unknown,
  photo: { width: number; height: number },
): DecisionGrids {
  return toDecisionGrids(maps ?? unprocessedMaps(architecture, photo.width, photo.height));
}

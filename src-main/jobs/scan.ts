// The quick blur scan: each photo decoded small (longest side `size`, default 256 px) and run through the model
// once, reading its mean blur confidence and kept ratio; nothing is written. At the reduced size a blur streak
// is shorter in pixels, so the numbers rank photos of one album against each other; they are not the values a
// full-size restore would report. Masks are not applied (the scan measures what the model finds by itself).
// As in the batch, junk is skipped and a photo that could not be measured (denied, too large) fails.
import { decodePreview } from '../imaging';
import type { Device, InferenceEngine } from '../inference';
import { expandInputs, isMask, skipReason } from './expand';
import { isUnreadable, meanOf, message } from './photo-steps';
import { rankByBlur } from './summary';
import type { RankedPhoto, SkippedFile } from './types';

export interface ScanRequest {
  inputs: string[];
  recursive?: boolean | undefined;
  modelDir: string;
  /** Longest side of the scanned copy, in pixels. */
  size?: number | undefined;
  device?: Device | undefined;
  threads?: number | undefined;
  signal?: AbortSignal | undefined;
  onPhoto?: ((index: number, total: number, input: string) => void) | undefined;
}

export interface ScanResult {
  /** Most blur first. */
  ranking: RankedPhoto[];
  /** Photos that could not be measured, with why (the CLI exits 1). */
  failures: SkippedFile[];
  /** Files that are no photo (not an image, empty, damaged). */
  skipped: SkippedFile[];
  size: number;
  seconds: number;
}

export async function scanAlbum(engine: InferenceEngine, request: ScanRequest): Promise<ScanResult> {
  const started = performance.now();
  const size = request.size ?? 256;
  const found = await expandInputs(request.inputs, { recursive: request.recursive ?? false, outputRoot: '' });
  const skipped: SkippedFile[] = found.others
    .filter((file) => !isMask(file.path))
    .map((file) => ({ input: file.path, reason: skipReason(file.path) }));
  const failures: SkippedFile[] = [];
  const measured = [];
  for (const [index, file] of found.photos.entries()) {
    request.signal?.throwIfAborted();
    request.onPhoto?.(index, found.photos.length, file.path);
    try {
      const pixels = await decodePreview(file.path, size);
      const result = await engine.restore(
        {
          modelDir: request.modelDir,
          device: request.device,
          threads: request.threads,
          input: { pixels, maps: true, tile: undefined },
        },
        { signal: request.signal },
      );
      measured.push({
        input: file.path,
        status: 'done' as const,
        meanConfidence: meanOf(result.confidence),
        keptRatio: result.keptRatio,
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const reason = message(error, file.path);
      (isUnreadable(error) ? skipped : failures).push({ input: file.path, reason });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { ranking: rankByBlur(measured), failures, skipped, size, seconds };
}

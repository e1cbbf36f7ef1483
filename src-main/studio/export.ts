// Export: the save dialog, then the restored photo encoded once, from the lossless cached result, in the chosen
// format, quality and depth, with all of the original's metadata or its colour profile only. Never over the
// original (nor a link to it), nor over a file the save dialog did not ask the user about.
import { lstat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ExportRequest, ExportResult } from '../contract';
import { FORMAT_FACTS, decodePhoto, encodePhoto, writeFileAtomic } from '../imaging';
import type { PhotoFormat } from '../imaging';
import { OutputNameError, outputTarget, withFormatExtension } from '../restore';
import { ApiFailure } from './errors';
import type { StudioHost } from './host';
import type { OpenedPhoto } from './library';

/**
 * Depth: `bitDepth` when given; 16 for a format that holds only 8 bits (JPEG, WebP, AVIF) is written as 8-bit
 * with a warning. Default: the photo's depth where the format holds it, else 8 (no warning).
 */
export async function exportPhoto(
  host: StudioHost,
  photo: OpenedPhoto,
  request: ExportRequest,
): Promise<ExportResult> {
  const notYet = () => new ApiFailure('not-found', `${basename(photo.path)} has not been restored yet`);
  if (!photo.restored) throw notYet();
  const { format } = request;
  const suggested = outputTarget(photo.path, photo.summary.format, { format }).path;
  const chosen = await host.chooseSavePath(suggested);
  if (!chosen) return { path: undefined, warnings: [] };
  const target = named(resolve(chosen), format);
  if (target === photo.path) throw new ApiFailure('forbidden', 'refusing to overwrite the original photo');
  // The dialog asked about replacing the name as typed; one with the extension added was never shown.
  const added = target !== resolve(chosen);
  if (added && (await lstat(target).catch(() => undefined))) {
    throw new ApiFailure(
      'invalid-request',
      `${basename(target)} already exists: choose it by its full name to replace it, or choose another name`,
    );
  }
  // Read after the dialog: a run that finished while it was open replaced (and removed) the earlier result.
  const restored = photo.restored;
  if (!restored) throw notYet();
  const pixels = await decodePhoto(restored.path);
  const { data, warnings } = await encodePhoto(pixels, {
    format,
    ...(request.quality !== undefined ? { quality: request.quality } : {}),
    depth: request.bitDepth ?? (Math.min(photo.summary.depth, FORMAT_FACTS[format].maxDepth) as 8 | 16),
    original: photo.path,
    metadata: request.metadata,
  });
  // noClobber: nor one made there while encoding.
  await writeFileAtomic(target, data, { protect: [photo.path], noClobber: added });
  return { path: target, warnings };
}

/** The chosen name with the format's extension added when it has none; another format's extension is refused. */
function named(path: string, format: PhotoFormat): string {
  try {
    return withFormatExtension(path, format);
  } catch (error) {
    if (error instanceof OutputNameError) throw new ApiFailure('invalid-request', error.message);
    throw error;
  }
}

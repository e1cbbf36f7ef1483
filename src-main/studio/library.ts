// Photos the user opened this session, by id. Only these files are ever served to the renderer.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { formatFromPath, notPhotoReason, summarizePhoto, type PhotoSummary } from '../imaging';
import type { OpenResult } from '../contract';

export interface RestoredFile {
  path: string;
  jobId: string;
}

export interface OpenedPhoto {
  id: string;
  path: string;
  summary: PhotoSummary;
  /** The last full restore (a lossless PNG in the studio's cache). */
  restored: RestoredFile | undefined;
  /** The last loupe preview (a region only; never the full result). */
  preview: RestoredFile | undefined;
}

export class PhotoLibrary {
  private readonly byId = new Map<string, OpenedPhoto>();

  /** Adds photo files (the same path twice gives the same photo); other files are skipped with a reason. */
  async add(paths: readonly string[]): Promise<{ photos: OpenedPhoto[]; skipped: OpenResult['skipped'] }> {
    const photos: OpenedPhoto[] = [];
    const skipped: OpenResult['skipped'] = [];
    for (const raw of paths) {
      const name = basename(raw);
      if (!isAbsolute(raw)) {
        skipped.push({ name, reason: 'not an absolute path' });
        continue;
      }
      const path = resolve(raw);
      const known = [...this.byId.values()].find((photo) => photo.path === path);
      if (known) {
        photos.push(known);
        continue;
      }
      if (!formatFromPath(path)) {
        skipped.push({ name, reason: notPhotoReason(path) });
        continue;
      }
      // A folder, a pipe or a device named like a photo: reading a pipe would wait for ever.
      const info = await stat(path).catch(() => undefined); // missing: summarizePhoto says so below
      if (info && !info.isFile()) {
        skipped.push({ name, reason: 'not a file' });
        continue;
      }
      try {
        const summary = await summarizePhoto(path);
        const photo = { id: randomUUID(), path, summary, restored: undefined, preview: undefined };
        this.byId.set(photo.id, photo);
        photos.push(photo);
      } catch (error) {
        skipped.push({ name, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return { photos, skipped };
  }

  get(id: string): OpenedPhoto | undefined {
    return this.byId.get(id);
  }

  list(): OpenedPhoto[] {
    return [...this.byId.values()];
  }

  remove(id: string): OpenedPhoto | undefined {
    const photo = this.byId.get(id);
    this.byId.delete(id);
    return photo;
  }
}

export function folderOf(photo: OpenedPhoto): string {
  return dirname(photo.path);
}

// The benchmarks' studio over one generated big photo: a noisy JPEG (noise is the worst case for codecs), a
// studio whose dialogs answer with it, and a cleanup. Used by bench:preview and bench:viewer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Studio, type StudioHost } from '../../src-main/studio';

export interface BigPhotoStudio {
  studio: Studio;
  photoId: string;
  close(): Promise<void>;
}

/** A `width` x `height` photo opened in a fresh studio (`threads`: onnxruntime threads, default the engine's). */
export async function bigPhotoStudio(
  name: string,
  width: number,
  height: number,
  threads?: number,
): Promise<BigPhotoStudio> {
  const folder = await mkdtemp(join(tmpdir(), `deblur-bench-${name}-`));
  const photo = join(folder, 'photo.jpg');
  const noise = { background: '#808080', noise: { type: 'gaussian' as const, mean: 128, sigma: 40 } };
  await sharp({ create: { width, height, channels: 3, ...noise } })
    .jpeg({ quality: 90 })
    .toFile(photo);
  const host: StudioHost = {
    chooseOpenPaths: async () => [photo],
    chooseSavePath: async () => undefined,
    chooseFolder: async () => undefined,
    chooseModelFile: async () => undefined,
    emit: () => undefined,
    imageUrl: (kind, path) => `${kind}/${path}`,
  };
  const studio = new Studio(host, { cacheDir: join(folder, 'cache'), threads });
  const { photos } = await studio.openPhotos();
  return {
    studio,
    photoId: photos[0]!.id,
    close: async () => {
      await studio.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

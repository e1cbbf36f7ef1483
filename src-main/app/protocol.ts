// `deblur-photo://<kind>/<id>`: the only way the renderer loads local images. It serves photos the user opened
// (and their thumbnails, results and loupe previews) by id; paths never appear in URLs.
import { protocol } from 'electron';
import { IMAGE_KINDS, type ImageKind, type Studio } from '../studio';

export const PHOTO_SCHEME = 'deblur-photo';

/** Must run before the app is ready. */
export function registerPhotoScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: PHOTO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function photoUrl(kind: ImageKind, id: string, version?: string): string {
  return `${PHOTO_SCHEME}://${kind}/${id}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
}

export function handlePhotoScheme(studio: Studio): void {
  protocol.handle(PHOTO_SCHEME, async (request) => {
    const url = new URL(request.url);
    const kind = IMAGE_KINDS.find((k) => k === url.hostname);
    const id = url.pathname.slice(1);
    if (!kind || !/^[\w-]+$/.test(id)) return new Response('not found', { status: 404 });
    try {
      const { data, mime } = await studio.image(kind, id);
      return new Response(new Uint8Array(data), {
        headers: { 'content-type': mime, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

// `deblur-photo://<kind>/<id>` (`<id>/<column>/<row>` for a tile): the only way the renderer loads local images.
// It serves photos the user opened (and their thumbnails, results, loupe previews, screen copies and tiles) by id;
// paths never appear in URLs.
import { protocol } from 'electron';
import { parseImageAddress, type ImageKind, type Studio } from '../studio';

export const PHOTO_SCHEME = 'deblur-photo';

/** Must run before the app is ready. */
export function registerPhotoScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: PHOTO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function photoUrl(kind: ImageKind, path: string, version?: string): string {
  return `${PHOTO_SCHEME}://${kind}/${path}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
}

export function handlePhotoScheme(studio: Studio): void {
  protocol.handle(PHOTO_SCHEME, async (request) => {
    const url = new URL(request.url);
    const address = parseImageAddress(url.hostname, url.pathname.slice(1));
    if (!address) return new Response('not found', { status: 404 });
    try {
      const { data, mime } = await studio.image(address.kind, address.id, address.tile);
      return new Response(new Uint8Array(data), {
        headers: { 'content-type': mime, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

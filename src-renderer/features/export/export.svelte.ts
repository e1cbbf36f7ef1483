// The export dialog's settings and the export itself: format, quality, bit depth and metadata, sent to main,
// which shows the save dialog and writes atomically, never over the original.
import type {
  DeblurApi,
  ExportFormat,
  ExportMetadata,
  ExportResult,
  PhotoInfo,
} from '../../../src-main/contract';
import { messageOf, unwrap } from '../../lib/bridge';

/** What the dialog needs to know per format (mirrors the encoder's facts in src-main/imaging/formats.ts). */
export const FORMAT_CHOICES: Record<ExportFormat, { label: string; lossy: boolean; deep: boolean }> = {
  jpeg: { label: 'JPEG', lossy: true, deep: false },
  png: { label: 'PNG', lossy: false, deep: true },
  tiff: { label: 'TIFF', lossy: false, deep: true },
  webp: { label: 'WebP', lossy: true, deep: false },
  avif: { label: 'AVIF', lossy: true, deep: false },
};

export const DEFAULT_QUALITY = 92;

export class ExportState {
  open = $state(false);
  photoId = $state<string | undefined>(undefined);
  format = $state<ExportFormat>('jpeg');
  quality = $state(DEFAULT_QUALITY);
  bitDepth = $state<8 | 16>(8);
  metadata = $state<ExportMetadata>('all');
  busy = $state(false);
  error = $state<string | undefined>(undefined);

  readonly lossy = $derived(FORMAT_CHOICES[this.format].lossy);
  readonly deep = $derived(FORMAT_CHOICES[this.format].deep);

  constructor(private readonly api: DeblurApi) {}

  /** Opens the dialog for a restored photo, starting from its own format and depth. */
  show(photo: PhotoInfo): void {
    if (!photo.restored) return;
    this.photoId = photo.id;
    this.format = photo.format;
    this.bitDepth = photo.depth;
    this.error = undefined;
    this.open = true;
  }

  setFormat(format: ExportFormat): void {
    this.format = format;
    if (!FORMAT_CHOICES[format].deep) this.bitDepth = 8;
  }

  /** Exports; resolves with the result (path undefined: the save dialog was cancelled), or undefined on error. */
  async submit(): Promise<ExportResult | undefined> {
    if (!this.photoId || this.busy) return undefined;
    this.busy = true;
    this.error = undefined;
    try {
      const result = unwrap(
        await this.api.exportPhoto({
          photoId: this.photoId,
          format: this.format,
          quality: this.lossy ? this.quality : undefined,
          bitDepth: this.deep ? this.bitDepth : 8,
          metadata: this.metadata,
        }),
      );
      if (result.path) this.open = false;
      return result;
    } catch (error) {
      this.error = messageOf(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}

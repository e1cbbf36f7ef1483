// The opened photos, which one is selected, and the last open's skipped files.
import type { DeblurApi, OpenResult, PhotoInfo } from '../../../src-main/contract';
import { messageOf, unwrap } from '../../lib/bridge';

export class LibraryState {
  photos = $state<PhotoInfo[]>([]);
  selectedId = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  opening = $state(false);

  readonly selected = $derived(this.photos.find((photo) => photo.id === this.selectedId));

  constructor(private readonly api: DeblurApi) {}

  async open(): Promise<void> {
    await this.run(() => this.api.openPhotos());
  }

  async drop(files: File[]): Promise<void> {
    if (files.length) await this.run(() => this.api.openDropped(files));
  }

  /** Photos opened by main (menu, recent files) or by a verb. */
  add(opened: OpenResult): void {
    for (const photo of opened.photos) {
      if (!this.photos.some((known) => known.id === photo.id)) this.photos.push(photo);
    }
    if (opened.photos[0]) this.selectedId = opened.photos[0].id;
    this.notice = opened.skipped.length
      ? `Skipped ${opened.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`
      : undefined;
  }

  /** Changes some of a photo's info, merged into its entry as it is now (a job's result must not bring back
   * what changed while it ran, such as a mask saved meanwhile). */
  patch(id: string, changes: Partial<Omit<PhotoInfo, 'id'>>): void {
    const index = this.photos.findIndex((known) => known.id === id);
    if (index >= 0) this.photos[index] = { ...this.photos[index]!, ...changes };
  }

  select(id: string): void {
    if (this.photos.some((photo) => photo.id === id)) this.selectedId = id;
  }

  step(delta: 1 | -1): void {
    if (!this.photos.length) return;
    const index = this.photos.findIndex((photo) => photo.id === this.selectedId);
    const next = (index + delta + this.photos.length) % this.photos.length;
    this.selectedId = this.photos[next]!.id;
  }

  private async run(open: () => ReturnType<DeblurApi['openPhotos']>): Promise<void> {
    this.opening = true;
    try {
      this.add(unwrap(await open()));
    } catch (error) {
      this.notice = messageOf(error);
    } finally {
      this.opening = false;
    }
  }
}

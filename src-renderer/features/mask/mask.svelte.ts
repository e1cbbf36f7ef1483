// The mask editor's state: the brush settings, the overlays shown, and one MaskDocument per photo (those of the
// recently selected photos, and every one with unsaved strokes). The selected photo's mask is loaded from its sidecar when first selected; "Save mask" writes it.
import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { DeblurApi, DetectResult, GrayImage, PhotoInfo } from '../../../src-main/contract';
import { messageOf, unwrap } from '../../lib/bridge';
import type { LibraryState } from '../library/library.svelte';
import { proposal } from './decisions';
import { MaskDocument } from './document.svelte';
import { AUTO, type MaskTool } from './values';

/** What is drawn over the photo besides the mask: nothing, the detection's confidence or decisions, or the last run's. */
export const OVERLAYS = ['none', 'confidence', 'detected', 'run'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export const MIN_SIZE = 1;
export const MAX_SIZE = 4096;
const SIZE_STEP = 1.25;
/** Mask documents kept while their photos are not selected (see forgetClean). */
export const KEPT_DOCUMENTS = 6;

export class MaskState {
  tool = $state<MaskTool>('force');
  /** The brush owns the left button (else the left button pans, as without a mask). */
  painting = $state(false);
  /** Brush diameter in photo pixels. */
  size = $state(64);
  /** 1: hard edge; 0: the stroke fades from its centre to its edge (raster.ts says how). */
  hardness = $state(1);
  opacity = $state(0.5);
  visible = $state(true);
  overlay = $state<Overlay>('none');
  /** The stage whose decisions the overlay shows (index into STAGE_NAMES). */
  stage = $state(0);
  saving = $state(false);
  error = $state<string | undefined>(undefined);
  private readonly documents = new SvelteMap<string, MaskDocument>();
  private readonly stop: () => void;

  /** The selected photo's mask (undefined with no photo). */
  readonly current = $derived.by(() => {
    const id = this.library.selectedId;
    return id === undefined ? undefined : this.documents.get(id);
  });

  constructor(
    private readonly api: DeblurApi,
    private readonly library: LibraryState,
  ) {
    this.stop = $effect.root(() => {
      $effect(() => {
        const photo = this.library.selected;
        if (photo) untrack(() => this.open(photo));
      });
    });
  }

  /** Photos whose mask has strokes not saved to its sidecar. */
  unsavedPhotos(): string[] {
    return [...this.documents.values()].filter((d) => d.unsaved).map((d) => d.photoId);
  }

  /** The photo's mask at its size, undefined when it is all auto or was never opened (default: the selected photo). */
  toGrayImage(photoId = this.library.selectedId): GrayImage | undefined {
    return photoId === undefined ? undefined : this.documents.get(photoId)?.toGrayImage();
  }

  /**
   * The mask a Run should send: the editor's mask; an explicit all-auto mask when the editor's is empty but the
   * photo has a sidecar (absent, main would use the sidecar the user cleared); undefined when the photo's mask was
   * never opened here or is still loading (main then uses the sidecar, which is what the editor loads).
   */
  maskForRun(photo: PhotoInfo): GrayImage | undefined {
    const document = this.documents.get(photo.id);
    if (!document || document.loading) return undefined; // still loading: main reads the same sidecar
    const mask = document.toGrayImage();
    if (mask || !photo.hasMask) return mask;
    // Empty while a sidecar exists. The sidecar failed to load and nothing was done since: main reads it and says
    // what is wrong with it. Otherwise the user cleared it: an explicit all-auto mask.
    if (document.error !== undefined && !document.unsaved) return undefined;
    return {
      width: photo.width,
      height: photo.height,
      data: new Uint8Array(photo.width * photo.height).fill(AUTO),
    };
  }

  document(photoId: string): MaskDocument | undefined {
    return this.documents.get(photoId);
  }

  setTool(tool: MaskTool): void {
    this.tool = tool;
    this.painting = true;
  }

  setSize(size: number): void {
    this.size = Math.round(Math.min(MAX_SIZE, Math.max(MIN_SIZE, size)));
  }

  /** `]`: a step larger (at least one pixel). */
  grow(): void {
    this.setSize(Math.max(this.size + 1, this.size * SIZE_STEP));
  }

  /** `[`: a step smaller. */
  shrink(): void {
    this.setSize(Math.min(this.size - 1, this.size / SIZE_STEP));
  }

  setHardness(hardness: number): void {
    this.hardness = Math.round(Math.min(1, Math.max(0, hardness)) * 100) / 100;
  }

  undo(): void {
    this.current?.undo();
  }

  redo(): void {
    this.current?.redo();
  }

  clear(): void {
    this.current?.clear();
  }

  invert(): void {
    this.current?.invert();
  }

  /** The whole photo with the current tool. */
  fill(): void {
    this.current?.fill(this.tool);
  }

  /** The detection's proposal (decisions.ts: stage 0's windows forced, the rest protected) as one undo step. */
  useProposal(result: DetectResult): void {
    const document = this.current;
    if (!document) return;
    document.replace(proposal(result.decisions, document.width, document.height), 'Use as mask');
    this.visible = true;
  }

  /** Writes the selected photo's mask to its sidecar (an all-auto mask removes the sidecar). */
  async save(): Promise<void> {
    const document = this.current;
    const photo = this.library.selected;
    if (!document || !photo || this.saving) return;
    const stateId = document.stateId;
    this.saving = true;
    this.error = undefined;
    try {
      const saved = unwrap(await this.api.saveMask({ photoId: photo.id, mask: document.toGrayImage() }));
      document.markSaved(stateId);
      this.library.patch(photo.id, { hasMask: saved.file !== undefined });
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.saving = false;
    }
  }

  dispose(): void {
    this.stop();
  }

  private open(photo: PhotoInfo): void {
    const known = this.documents.get(photo.id);
    // Most recently selected last: the order the clean documents below are let go in.
    if (known) this.documents.delete(photo.id);
    const document = known ?? new MaskDocument(photo.id, photo.width, photo.height);
    this.documents.set(photo.id, document);
    if (!known) void this.load(document);
    this.forgetClean(photo.id);
  }

  /** A full-size raster and its undo history per photo would grow without end while arrowing through an album:
   * beyond KEPT_DOCUMENTS, the least recently selected documents with nothing unsaved are let go (their sidecar
   * holds what they hold; unsaved ones are always kept). */
  private forgetClean(selected: string): void {
    let extra = this.documents.size - KEPT_DOCUMENTS;
    for (const [id, document] of this.documents) {
      if (extra <= 0) break;
      if (id === selected || document.unsaved || document.loading) continue;
      this.documents.delete(id);
      extra--;
    }
  }

  private async load(document: MaskDocument): Promise<void> {
    document.loading = true;
    try {
      document.load(unwrap(await this.api.loadMask(document.photoId)));
    } catch (error) {
      document.error = `Could not load the mask: ${messageOf(error)}`;
    } finally {
      document.loading = false;
    }
  }
}

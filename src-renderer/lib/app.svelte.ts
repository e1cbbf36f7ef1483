// The app's state: the library, the view, the compare settings and the restore job, plus the commands that menus,
// shortcuts and buttons share.
import type { DeblurApi, MenuCommand, ModelInfo, Unsubscribe } from '../../src-main/contract';
import { BatchState } from '../features/batch/batch.svelte';
import { ExportState } from '../features/export/export.svelte';
import { LibraryState } from '../features/library/library.svelte';
import { DetectState } from '../features/mask/detect.svelte';
import { MaskState } from '../features/mask/mask.svelte';
import { ModelsState } from '../features/models/models.svelte';
import { loupeRegion } from '../features/restore/loupe';
import { RestoreState } from '../features/restore/restore.svelte';
import { CompareState } from '../features/viewer/compare.svelte';
import { ViewportState } from '../features/viewer/viewport.svelte';
import { TEXT_FIELDS, isTyping } from './shortcuts';

export class AppState {
  readonly library: LibraryState;
  readonly restore: RestoreState;
  readonly batch: BatchState;
  readonly models: ModelsState;
  /** The mask editor: `mask.toGrayImage()` / `mask.maskForRun(photo)` give the selected photo's mask for a Run. */
  readonly mask: MaskState;
  readonly detect: DetectState;
  readonly exporting: ExportState;
  /** The side panel shown next to the viewer. */
  panel = $state<'restore' | 'mask' | 'batch' | 'models'>('restore');
  readonly viewport = new ViewportState();
  readonly compare = new CompareState();
  status = $state<string | undefined>(undefined);
  private readonly subscriptions: Unsubscribe[] = [];

  constructor(private readonly api: DeblurApi) {
    this.library = new LibraryState(api);
    this.restore = new RestoreState(api);
    this.batch = new BatchState(api);
    this.models = new ModelsState(api, (models) => this.forgetRemovedModels(models));
    this.mask = new MaskState(api, this.library);
    this.detect = new DetectState(api);
    this.exporting = new ExportState(api);
    this.subscriptions.push(
      api.onPhotosAdded((opened) => this.library.add(opened)),
      api.onMenuCommand((command) => void this.command(command)),
    );
  }

  /** Restores the whole selected photo with its mask (the editor's, else its sidecar). */
  async runSelected(): Promise<void> {
    const photo = this.library.selected;
    if (!photo) return;
    const restored = await this.restore.run(photo, { mask: this.mask.maskForRun(photo) });
    if (restored) {
      this.library.patch(photo.id, { restored });
      this.compare.enabled = true;
    }
  }

  /** The loupe: restores only the part of the photo in view (at most LOUPE_MAX a side), for a quick look. */
  async previewSelected(): Promise<void> {
    const photo = this.library.selected;
    const region = loupeRegion(this.viewport);
    if (!photo || !region) return;
    const revision = this.mask.current?.revision ?? 0;
    await this.restore.run(photo, { mask: this.mask.maskForRun(photo), region, revision });
  }

  /** A picked model that is no longer installed (removed here or with the CLI) gives way to the default. */
  private forgetRemovedModels(models: ModelInfo[]): void {
    for (const state of [this.restore, this.batch]) {
      if (state.modelId !== undefined && !models.some((model) => model.id === state.modelId)) {
        state.modelId = undefined;
      }
    }
  }

  /** Opens the export dialog for the selected photo once it has been restored. */
  exportSelected(): void {
    const photo = this.library.selected;
    if (photo?.restored) this.exporting.show(photo);
    else if (photo) this.status = 'Run the restore first: there is nothing to export yet';
  }

  /** "Detect blur" on the selected photo (with the Restore panel's threshold); shows its decisions when done. */
  async detectSelected(): Promise<void> {
    const photo = this.library.selected;
    if (!photo) return;
    if (await this.detect.run(photo, this.restore.threshold, this.restore.modelId))
      this.mask.overlay = 'detected';
  }

  async command(command: MenuCommand): Promise<void> {
    switch (command) {
      case 'open':
        return this.library.open();
      case 'export':
        return this.exportSelected();
      case 'run':
        return this.runSelected();
      case 'cancel':
        void this.detect.cancel();
        return this.restore.cancel();
      case 'preview':
        return this.previewSelected();
      case 'detect':
        return this.detectSelected();
      case 'undo':
      case 'redo':
        // The menu's Ctrl+Z arrives even while a text field has the focus: that field's own history comes first.
        if (isTyping(document.activeElement, TEXT_FIELDS)) return void document.execCommand(command);
        // Strokes are undone where they can be seen: elsewhere the next Run would use a mask changed unseen.
        if (this.panel !== 'mask') {
          this.status = `${command === 'undo' ? 'Undo' : 'Redo'} acts on mask strokes: open the Mask tab`;
          return;
        }
        return command === 'undo' ? this.mask.undo() : this.mask.redo();
      case 'view-fit':
        return this.viewport.fit();
      case 'view-actual':
        return this.viewport.actual();
      case 'zoom-in':
        return this.viewport.zoomIn();
      case 'zoom-out':
        return this.viewport.zoomOut();
      case 'toggle-compare':
        return this.compare.toggle();
      case 'next-photo':
        return this.library.step(1);
      case 'previous-photo':
        return this.library.step(-1);
    }
  }

  dispose(): void {
    this.subscriptions.splice(0).forEach((unsubscribe) => unsubscribe());
    this.mask.dispose();
    this.detect.dispose();
    this.restore.dispose();
  }
}

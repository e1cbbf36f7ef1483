// The models panel's state: the registry's list (shipped + imported, the default marked), "Add model…", the
// default choice, removal (shipped models stay) and the selected model's card.
import type { DeblurApi, ModelCardInfo, ModelInfo } from '../../../src-main/contract';
import { messageOf, unwrap } from '../../lib/bridge';

export class ModelsState {
  models = $state<ModelInfo[]>([]);
  selectedId = $state<string | undefined>(undefined);
  card = $state<ModelCardInfo | undefined>(undefined);
  importing = $state(false);
  notice = $state<string | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  /** The model `notice` speaks of ("Added X"): once X is no longer listed, the notice goes. */
  private noticeFor: string | undefined;

  readonly selected = $derived(this.models.find((model) => model.id === this.selectedId));

  /** `listed` hears every list main answers (the pickers drop a model that is no longer installed). */
  constructor(
    private readonly api: DeblurApi,
    private readonly listed: (models: ModelInfo[]) => void = () => {},
  ) {}

  async refresh(): Promise<void> {
    await this.attempt(async () => this.set(unwrap(await this.api.listModels())));
  }

  async select(id: string): Promise<void> {
    this.selectedId = id;
    this.card = undefined;
    await this.attempt(async () => {
      const card = unwrap(await this.api.modelCard(id));
      if (this.selectedId === id) this.card = card;
    });
  }

  async add(): Promise<void> {
    if (this.importing) return;
    this.importing = true;
    this.notice = undefined;
    this.noticeFor = undefined;
    await this.attempt(async () => {
      const imported = unwrap(await this.api.importModel());
      if (!imported.model) return;
      this.set(unwrap(await this.api.listModels()));
      this.noticeFor = imported.model.id;
      this.notice = imported.existing
        ? `Already imported as ${imported.model.name}`
        : `Added ${imported.model.name} (${imported.seconds.toFixed(1)} s)`;
      await this.select(imported.model.id);
    });
    this.importing = false;
  }

  async makeDefault(id: string): Promise<void> {
    await this.attempt(async () => this.set(unwrap(await this.api.setDefaultModel(id))), { resync: true });
  }

  async remove(id: string): Promise<void> {
    const name = this.models.find((model) => model.id === id)?.name ?? id;
    await this.attempt(
      async () => {
        this.set(unwrap(await this.api.removeModel(id)));
        this.notice = `Removed ${name}`;
        this.noticeFor = undefined;
        if (this.selectedId === id) {
          this.selectedId = undefined;
          this.card = undefined;
        }
      },
      { resync: true },
    );
  }

  private set(models: ModelInfo[]): void {
    this.models = models;
    if (this.noticeFor !== undefined && !models.some((model) => model.id === this.noticeFor)) {
      this.notice = undefined;
      this.noticeFor = undefined;
    }
    this.listed(models);
  }

  /**
   * Runs `action`, showing main's message when it fails. `resync`: a refusal may come from a list that is out of
   * date (a model removed with the CLI meanwhile), so the list is read again and shows what main has.
   */
  private async attempt(action: () => Promise<void>, { resync = false } = {}): Promise<void> {
    this.error = undefined;
    try {
      await action();
    } catch (error) {
      this.error = messageOf(error);
      if (!resync) return;
      const listed = await this.api.listModels();
      if (listed.ok) this.set(listed.value);
    }
  }
}

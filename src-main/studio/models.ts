// The models panel's service: the registry (shipped + imported), the default choice, removal, model cards and
// "Add model…" (the open dialog for a .pth, then the importer on a worker thread: its reads block).
import { type ImportModelResult, type ModelCardInfo, type ModelInfo } from '../contract';
import { importInWorker } from '../models/import-thread';
import { userModelsDir } from '../models/paths';
import {
  defaultModel,
  findModel,
  listModels,
  modelCard,
  removeModel,
  setDefault,
  type ModelEntry,
  type RegistryRoots,
} from '../models/registry';
import { ApiFailure } from './errors';
import type { StudioHost } from './host';

export class ModelService {
  constructor(
    private readonly host: StudioHost,
    private readonly registry: RegistryRoots = {},
    /** The import worker's script (the bundled app's own; default: the source entry). */
    private readonly importWorker?: URL,
  ) {}

  list(): ModelInfo[] {
    return listModels(this.registry).map(toInfo);
  }

  /** The model `id` names, else the registry's default (pickDefault: the one the list marks and the CLI runs). */
  entry(id: string | undefined): ModelEntry {
    if (id) return findModel(id, this.registry);
    const chosen = defaultModel(this.registry);
    if (!chosen) throw new ApiFailure('not-found', 'no model is installed: add one with "Add model…"');
    return chosen;
  }

  async import(): Promise<ImportModelResult> {
    const file = await this.host.chooseModelFile();
    if (!file) return { model: undefined, existing: false, seconds: 0 };
    const imported = await importInWorker(file, this.registry.user ?? userModelsDir(), this.importWorker);
    const model = this.list().find((info) => info.id === imported.id);
    return { model, existing: imported.existing === true, seconds: imported.seconds };
  }

  async setDefault(id: string): Promise<ModelInfo[]> {
    await setDefault(id, this.registry);
    return this.list();
  }

  async remove(id: string): Promise<ModelInfo[]> {
    if (findModel(id, this.registry).source === 'shipped') {
      throw new ApiFailure('forbidden', `model "${id}" ships with the app and cannot be removed`);
    }
    await removeModel(id, this.registry);
    return this.list();
  }

  card(id: string): ModelCardInfo {
    const entry = findModel(id, this.registry);
    return { id, card: modelCard(entry), manifest: entry.manifest };
  }
}

function toInfo({ id, name, source, variant, default: isDefault, defaultThreshold }: ModelEntry): ModelInfo {
  return { id, name, source, variant, default: isDefault, defaultThreshold };
}

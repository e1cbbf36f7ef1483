// A stand-in for main's model service (src-main/studio/models.ts over src-main/models/registry.ts) for the
// renderer's tests: the same list order, the same default rule (pickDefault), the same refusals with the codes
// ipc gives them (ApiFailure 'forbidden' for a shipped model's removal; a RegistryError is 'not-found') and the
// same messages. The registry is in memory; `outside` changes it as the CLI would while the app is open.
import type { ApiError, DeblurApi, ImportModelResult, ModelInfo, Result } from '../../src-main/contract';

/** A model folder: its id and what its manifest says (`manifestDefault`: the manifest's `"default": true`). */
export interface StoredModel {
  id: string;
  name: string;
  variant?: 'pruned' | 'dense';
  defaultThreshold?: number;
  manifestDefault?: boolean;
  card?: string;
}

/** What the next "Add model…" does: the dialog cancelled, a checkpoint imported (again), or refused. */
export type ImportAnswer = 'cancel' | { model: StoredModel; seconds: number } | { error: ApiError };

type Entry = StoredModel & { source: 'shipped' | 'imported' };

export function modelRegistry(shipped: StoredModel[], imported: StoredModel[] = [], chosen?: string) {
  const folders = {
    shipped: new Map(shipped.map((m) => [m.id, m])),
    imported: new Map(imported.map((m) => [m.id, m])),
  };
  const state = { chosen };
  const calls: string[] = [];
  const answers: ImportAnswer[] = [];
  let release: (() => void) | undefined;
  let hold = false;

  const byId = (a: StoredModel, b: StoredModel) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  /** listModels: shipped, then imported (one with a shipped id hidden), each by id. */
  function entries(): Entry[] {
    const ship = [...folders.shipped.values()].sort(byId).map((m) => ({ ...m, source: 'shipped' as const }));
    const mine = [...folders.imported.values()]
      .filter((m) => !folders.shipped.has(m.id))
      .sort(byId)
      .map((m) => ({ ...m, source: 'imported' as const }));
    return [...ship, ...mine];
  }
  /** pickDefault: the user's choice while installed, a shipped manifest default, an imported one, the first. */
  function pickDefault(list: Entry[]): Entry | undefined {
    const pruned = list.filter((e) => e.variant !== 'dense');
    return (
      pruned.find((e) => state.chosen !== undefined && e.id === state.chosen) ??
      pruned.find((e) => e.source === 'shipped' && e.manifestDefault === true) ??
      pruned.find((e) => e.manifestDefault === true) ??
      pruned[0]
    );
  }
  function list(): ModelInfo[] {
    const all = entries();
    const pick = pickDefault(all);
    return all.map((e) => ({
      id: e.id,
      name: e.name,
      source: e.source,
      variant: e.variant ?? 'pruned',
      default: e === pick,
      defaultThreshold: e.defaultThreshold,
    }));
  }
  /** findModel: a RegistryError, which ipc answers as 'not-found'. */
  function find(id: string): Entry {
    const all = entries();
    const entry = all.find((e) => e.id === id);
    if (!entry) {
      throw failure(
        'not-found',
        `model "${id}" not found (installed: ${all.map((e) => e.id).join(', ') || 'none'})`,
      );
    }
    return entry;
  }
  const failure = (code: ApiError['code'], message: string): ApiError => ({ code, message });
  async function answer<T>(action: () => T | Promise<T>): Promise<Result<T>> {
    try {
      return { ok: true, value: await action() };
    } catch (error) {
      return { ok: false, error: error as ApiError };
    }
  }

  const api: Pick<DeblurApi, 'listModels' | 'setDefaultModel' | 'removeModel' | 'modelCard' | 'importModel'> =
    {
      listModels: () => (calls.push('list'), answer(list)),
      setDefaultModel: (id) =>
        answer(() => {
          calls.push(`set-default ${id}`);
          if (find(id).variant === 'dense') {
            throw failure(
              'not-found',
              `model "${id}" is a dense benchmark variant and cannot be the default`,
            );
          }
          state.chosen = id;
          return list();
        }),
      removeModel: (id) =>
        answer(() => {
          calls.push(`remove ${id}`);
          if (find(id).source === 'shipped') {
            throw failure('forbidden', `model "${id}" ships with the app and cannot be removed`);
          }
          folders.imported.delete(id);
          if (state.chosen === id) state.chosen = undefined;
          return list();
        }),
      modelCard: (id) =>
        answer(() => {
          const entry = find(id);
          return { id, card: entry.card, manifest: { name: entry.name } };
        }),
      importModel: () =>
        answer(async (): Promise<ImportModelResult> => {
          calls.push('import');
          if (hold) await new Promise<void>((resolve) => (release = resolve));
          const next = answers.shift() ?? 'cancel';
          if (next === 'cancel') return { model: undefined, existing: false, seconds: 0 };
          if ('error' in next) throw next.error;
          const existing = folders.imported.has(next.model.id);
          if (!existing) folders.imported.set(next.model.id, next.model);
          return {
            model: list().find((m) => m.id === next.model.id),
            existing,
            seconds: existing ? 0.1 : next.seconds,
          };
        }),
    };

  return {
    api,
    calls,
    state,
    /** Queues what the next "Add model…" does. */
    nextImport: (answer: ImportAnswer) => answers.push(answer),
    /** Holds the next import on the worker until `finishImport`. */
    holdImport: () => (hold = true),
    finishImport: () => {
      hold = false;
      release?.();
    },
    /** `deblur models remove <id>` run in a terminal while the app is open. */
    removedOutside: (id: string) => {
      folders.imported.delete(id);
      if (state.chosen === id) state.chosen = undefined;
    },
  };
}

// Public surface of models/: reading PyTorch checkpoints safely, importing them, and the model registry.
export { CheckpointError, checkLayout, openCheckpoint, type Checkpoint } from './checkpoint';
export { runModelsCli } from './cli';
export { importCheckpoint, type ImportOptions, type ImportResult } from './import';
export { TEMPLATES_ROOT, userModelsDir } from './paths';
export {
  RegistryError,
  SHIPPED_MODELS_ROOT,
  chosenDefault,
  defaultModel,
  findModel,
  listModels,
  modelCard,
  modelsIn,
  pickDefault,
  removeModel,
  setDefault,
  verifyModel,
  type ModelEntry,
  type RegistryRoots,
} from './registry';

// Public surface of inference/: models, sessions and providers, the restore pipeline and its worker.
export { InferenceEngine, type JobOptions } from './engine';
export {
  ModelError,
  assertPruned,
  loadModelDir,
  parseManifest,
  type Manifest,
  type ModelDir,
} from './manifest';
export {
  CancelledError,
  restore,
  type DecisionMaps,
  type MapsChoice,
  type Progress,
  type RestoreInput,
  type RestoreResult,
  unprocessedMaps,
} from './pipeline';
export type { RestoreJob } from './protocol';
export { DEVICES, providerOrder, type Device, type Provider } from './providers';
export { defaultThreads, getSession, releaseSessions } from './session';
export type { RgbImage } from './tensors';

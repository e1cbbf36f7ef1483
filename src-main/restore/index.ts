// Public surface of restore/: the service joining imaging (sharp) and inference (onnxruntime).
export { MODELS_ROOT, ModelNotFoundError, defaultModelDir, resolveModelDir } from './models';
export {
  OutputNameError,
  isFolder,
  outputTarget,
  withFormatExtension,
  type OutputTarget,
} from './output-path';
export {
  decisionStrip,
  engineJob,
  restorePhoto,
  type EngineSettings,
  type RestoreReport,
  type RestoreRequest,
} from './restore-photo';

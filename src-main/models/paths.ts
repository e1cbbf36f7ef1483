// Where imported models live and where the shipped templates are: decided by the app-wide paths module
// (src-main/paths), in development and when packaged.
import { templatesDir } from '../paths';

export { userModelsDir } from '../paths';

/** The weightless ONNX templates that `npm run export:template` writes and the app ships. */
export const TEMPLATES_ROOT = templatesDir();

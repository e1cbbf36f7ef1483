// Worker thread body for "Add model…": runs importCheckpoint (blocking reads and writes of a large checkpoint)
// off the app's main thread and posts the ImportResult, or the error's name and message.
import { parentPort, workerData } from 'node:worker_threads';
import { importCheckpoint } from './import';

const { file, modelsDir } = workerData as { file: string; modelsDir: string };
try {
  parentPort?.postMessage({ ok: true, value: await importCheckpoint(file, { modelsDir }) });
} catch (error) {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  parentPort?.postMessage({ ok: false, name, message });
}

// Opening a model the way the app does (manifest + sha256 checks, session, warm-up), in a fresh process each
// time: `npm run bench:open -- <model folder>`. Run it twice on an imported model to see the graph cache.
import { getSession, loadModelDir, releaseSessions } from '../../src-main/inference';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npm run bench:open -- <model folder>');
const t0 = performance.now();
const model = await loadModelDir(dir);
const t1 = performance.now();
await getSession(model, { device: 'cpu', threads: 1 });
const t2 = performance.now();
await releaseSessions();
console.log(
  JSON.stringify({
    model: model.manifest.id,
    verifySeconds: +((t1 - t0) / 1000).toFixed(2),
    sessionSeconds: +((t2 - t1) / 1000).toFixed(2),
    totalSeconds: +((t2 - t0) / 1000).toFixed(2),
  }),
);

// Prints the closing CI line `N passed, N failed`, summed over Vitest (JSON reports) and pytest (its summary
// line). A runner that crashed without a report counts as one failure. Exits 1 when anything failed. Skipped
// tests are named on a note line above it: a machine that cannot mount a tmpfs or chattr skips the disk-full and
// read-only tests, and that should show.
// Usage: node .ci/summary.mjs vitest:<report.json>... pytest:<log>:<exit code>...
import { existsSync, readFileSync } from 'node:fs';

function vitestCounts(reportPath) {
  if (!existsSync(reportPath)) return { passed: 0, failed: 1, note: `vitest wrote no report ${reportPath}` };
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  // A test file that fails to load has status 'failed' and no tests: count it as one failure.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  );
  const skipped = report.testResults.flatMap((f) =>
    f.assertionResults.filter((t) => t.status === 'skipped' || t.status === 'pending').map((t) => t.fullName),
  );
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles.length, skipped };
}

function pytestCounts(logPath, exitCode) {
  if (exitCode === 5) return { passed: 0, failed: 0 }; // no tests collected
  const lines = existsSync(logPath) ? readFileSync(logPath, 'utf8').trim().split('\n') : [];
  // The summary is the last line, e.g. "3 passed, 1 failed, 2 warnings in 0.52s" or "== 1 error in 0.1s ==".
  const last = lines.at(-1) ?? '';
  const count = (word) => Number(last.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  const passed = count('passed');
  const failed = count('failed') + count('errors?');
  const skipped = count('skipped') ? [`${count('skipped')} pytest test(s), see ${logPath}`] : [];
  if (exitCode !== 0 && failed === 0) return { passed, failed: 1, note: `pytest exited ${exitCode}` };
  return { passed, failed, skipped };
}

const runs = process.argv.slice(2).map((arg) => {
  const [kind, path, exitCode] = arg.split(':');
  if (kind === 'vitest' && path) return vitestCounts(path);
  if (kind === 'pytest' && path) return pytestCounts(path, Number(exitCode));
  throw new Error(`summary: unknown argument ${arg}`);
});
for (const run of runs) if (run.note) console.log(`note: ${run.note}`);
for (const name of runs.flatMap((r) => r.skipped ?? [])) console.log(`note: skipped: ${name}`);
const passed = runs.reduce((sum, r) => sum + r.passed, 0);
const failed = runs.reduce((sum, r) => sum + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

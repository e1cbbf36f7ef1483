// npm run eval:compare -- <report.json> <report.json> ...
// Side by side: the ship rule's measures (gain, by blur length, unblurred mean and pooled, kept, kept without
// blur, soft background kept) of `npm run eval -- --json` reports, one column per file.
import { readFile } from 'node:fs/promises';
import { compareTable, type EvalReport } from './report-rows';

async function read(file: string): Promise<EvalReport> {
  const text = await readFile(file, 'utf8');
  try {
    const report = JSON.parse(text) as EvalReport;
    if (Array.isArray(report.splits)) return report;
  } catch {
    // named below, with the file
  }
  throw new Error(`${file}: not an eval report (the JSON that \`npm run eval -- --json\` prints)`);
}

const files = process.argv.slice(2);
if (!files.length) throw new Error('usage: npm run eval:compare -- <report.json> ...');
console.log(compareTable(files, await Promise.all(files.map(read))));

// npm run eval:compare -- <report.json> <report.json> ...
// Side by side: the ship rule's measures (gain, by blur length, unblurred mean and pooled, kept, kept without
// blur, soft background kept) of `npm run eval -- --json` reports, one column per file.
import { readFile } from 'node:fs/promises';
import { compareTable, type EvalReport } from './report-rows';

const files = process.argv.slice(2);
if (!files.length) throw new Error('usage: npm run eval:compare -- <report.json> ...');
const reports = await Promise.all(
  files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as EvalReport),
);
console.log(compareTable(files, reports));

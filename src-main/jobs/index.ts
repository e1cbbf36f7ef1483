// Public surface of jobs/: album batches (plan, run with pause/resume/cancel, journal, report) and the blur scan.
export { BatchJob, type BatchListener } from './batch-job';
export { JOURNAL_NAME } from './journal';
export { outputName } from './naming';
export { planBatch } from './plan';
export { scanAlbum, type ScanRequest, type ScanResult } from './scan';
export { REPORT_CSV, REPORT_JSON, rankByBlur } from './summary';
export {
  BatchStoppedError,
  BatchUsageError,
  DEFAULT_NAME_TEMPLATE,
  ON_EXISTING,
  type BatchEvent,
  type BatchPlan,
  type BatchProgress,
  type BatchRequest,
  type BatchSummary,
  type OnExisting,
  type PhotoOutcome,
  type PlannedPhoto,
  type RankedPhoto,
} from './types';

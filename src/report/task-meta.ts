import type { CheckResult, FeatureId, Transport } from '../core/types.js';
// Loads vitest's types into the program; without it the augmentation below does not apply.
import type {} from 'vitest';

/**
 * The case a test runs. Suites set it first thing in the test, so that a test that crashes
 * before attaching results still lands in the right matrix cell (as an `error`).
 */
export interface OaiCase {
  target: string;
  model: string;
  feature: FeatureId;
  case: string;
  transport: Transport;
}

declare module 'vitest' {
  interface TaskMeta {
    /** The check results of the test, read by reporters/matrix-reporter.ts. */
    oaiResults?: CheckResult[];
    oaiCase?: OaiCase;
  }
}

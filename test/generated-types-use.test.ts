import { expectTypeOf, test } from 'vitest';
import type { Report } from '../src/report/build.js';
import type { CheckResult } from '../src/core/types.js';
import type { OaiCompatReport, Result } from '../src/types/generated/report.js';

// Compile-time: the hand-written report types must fit the types generated from
// schemas/report.schema.json (`npm test` runs tsc first, so a drift fails the build).
test('the report we build has the shape the report schema describes', () => {
  expectTypeOf<Report>().toExtend<OaiCompatReport>();
  expectTypeOf<CheckResult>().toExtend<Result>();
});

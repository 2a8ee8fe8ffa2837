import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { judgeCaptured } from '../passive/judge.js';
import { readCaptures } from '../passive/read.js';
import { PassiveSession } from '../passive/session.js';
import { renderPassiveSummary } from '../passive/summary.js';
import { writeReport } from '../report/write.js';
import { shownPath, TOOL } from './paths.js';

/** `oai-compat validate PATH...`: judges captured traffic; exit 1 on a must finding, 2 on unreadable input. */
export async function validateCommand(values: Record<string, unknown>, paths: string[]): Promise<number> {
  if (paths.length === 0) throw new ConfigError('validate: give at least one HAR file, recording, batch output file (.jsonl) or folder of them, e.g. oai-compat validate traffic.har.');
  const captured = readCaptures(paths);
  if (captured.length === 0) throw new ConfigError(`validate: no exchange found in ${paths.join(', ')} (looked for .har, .json recordings and .jsonl batch output files).`);
  const session = new PassiveSession(TOOL, 'replay');
  for (const c of captured) {
    const { results, target } = await judgeCaptured(c);
    session.add(target, results);
  }
  const report = session.report();
  const written = await writeReport(report, path.resolve(String(values.out)));
  process.stdout.write(renderPassiveSummary(report, shownPath(written.markdown)));
  return report.summary.exitCode;
}

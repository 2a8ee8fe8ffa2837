import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { assertMatchesSchema } from '../core/yaml-file.js';
import type { Report } from './build.js';

/** A report as read from disk, with the name it was given by. */
export interface ReportFile {
  file: string;
  report: Report;
}

/**
 * Reads a report.json (or the report.json in a folder) and validates it against
 * schemas/report.schema.json: a missing file, bad JSON or a field that does not fit is a
 * ConfigError (exit 2) naming the file and the field.
 */
export function readReportFile(fileOrDir: string): ReportFile {
  const file = existsSync(fileOrDir) && statSync(fileOrDir).isDirectory() ? path.join(fileOrDir, 'report.json') : fileOrDir;
  if (!existsSync(file)) throw new ConfigError(`Failed to read report ${file}: no such file. Give a report.json written by oai-compat run, or its folder.`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Failed to read report ${file}: not valid JSON (${(error as Error).message}). Give a report.json written by oai-compat run.`);
  }
  assertMatchesSchema(data, 'report.schema.json', file);
  return { file, report: data as Report };
}

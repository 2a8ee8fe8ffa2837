import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/report/build.js';

/** Every file under `dir`, at any depth, by full path. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
}

/** The report.json a run wrote to `dir`. */
export const readReport = (dir: string): Report => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;

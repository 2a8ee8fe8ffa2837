import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { CapturedExchange } from './captured.js';
import { parseHar } from './har.js';
import { readBatchOutput } from './jsonl.js';
import { isCassette, readCassette } from './recordings.js';

const KINDS = '.har (HAR 1.2), .json (HAR, or a recording of --mode record), .jsonl (batch output)';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Failed to read ${file}: ${errorMessage(error)}.`);
  }
}

/** One file's exchanges; `explicit` files must be captures, files found in a folder may be something else (skipped). */
function readFile(file: string, explicit: boolean): CapturedExchange[] {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.har') return parseHar(readText(file), file);
  if (ext === '.jsonl') return readBatchOutput(readText(file), file);
  if (ext === '.json') {
    const text = readText(file);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      if (!explicit) return [];
      throw new ConfigError(`Failed to read ${file}: not JSON (${errorMessage(error)}).`);
    }
    if (doc && typeof doc === 'object' && 'log' in doc) return parseHar(text, file);
    if (isCassette(doc)) return readCassette(doc, file);
    if (!explicit) return [];
    throw new ConfigError(`Failed to read ${file}: neither a HAR file (log.entries) nor a recording (a list of snapshots). Give ${KINDS}.`);
  }
  if (!explicit) return [];
  throw new ConfigError(`Failed to read ${file}: unknown kind of file. Give ${KINDS}, or a folder of them.`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.isFile() ? [path.join(dir, d.name)] : []));
}

/**
 * Every captured exchange under `paths` (files, or folders searched recursively, in name
 * order). Unreadable input is a ConfigError naming the file and the reason.
 */
export function readCaptures(paths: readonly string[]): CapturedExchange[] {
  return paths.flatMap((p) => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new ConfigError(`Failed to read ${p}: no such file or folder.`);
    }
    return isDir ? filesUnder(p).flatMap((f) => readFile(f, false)) : readFile(p, true);
  });
}

import { accessSync, constants, lstatSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { validateFormat } from '../schema/registry.js';
import { ConfigError } from './errors.js';

/**
 * Refuses, with a ConfigError naming the file, anything that is not a regular file one can read:
 * a folder, a symlink loop, a dangling link, a FIFO or device (reading one would hang), no access.
 */
function assertReadableFile(file: string, shownAs: string): void {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const linked = lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink();
    const why = code === 'ELOOP' ? 'it is a symbolic link loop' : code === 'ENOENT' && linked ? 'it is a symbolic link to nothing (dangling)' : code === 'ENOENT' ? 'there is no such file' : `it cannot be read (${code})`;
    throw new ConfigError(`Failed to load ${shownAs}: ${why}. Give the path of a YAML file.`);
  }
  if (stat.isDirectory()) throw new ConfigError(`Failed to load ${shownAs}: it is a folder, not a file. Give the path of a YAML file.`);
  if (!stat.isFile()) throw new ConfigError(`Failed to load ${shownAs}: it is not a regular file (a FIFO, socket or device). Give the path of a YAML file.`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new ConfigError(`Failed to load ${shownAs}: permission denied. Make the file readable.`);
  }
}

/** Parses a YAML file of ours; bad YAML is a ConfigError naming the file, line and column. */
export function readYamlFile(file: string, shownAs: string): unknown {
  assertReadableFile(file, shownAs);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Failed to load ${shownAs}: it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0] ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      throw new ConfigError(`Failed to load ${shownAs}: invalid YAML${where}: ${error.message.split('\n')[0]}`);
    }
    // e.g. an alias (*name) that no anchor (&name) defines: the yaml package throws a ReferenceError.
    throw new ConfigError(`Failed to load ${shownAs}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Validates a file's data against one of our schemas (schemas/<schemaFile>); a mismatch is a
 * ConfigError listing the offending fields. `describePath` may make a pointer more readable.
 */
export function assertMatchesSchema(data: unknown, schemaFile: string, shownAs: string, describePath: (pointer: string) => string = (p) => p || '/'): void {
  const findings = validateFormat(schemaFile, data);
  if (findings.length === 0) return;
  const lines = findings.slice(0, 5).map((f) => `  - field ${describePath(f.path)}: expected ${f.expected}, got ${f.received}`);
  throw new ConfigError(`Failed to load ${shownAs}: it does not match schemas/${schemaFile}.\n${lines.join('\n')}\nFix the field(s) above; the schema lists every allowed field.`);
}

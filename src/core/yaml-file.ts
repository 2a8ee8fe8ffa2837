import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { validateFormat } from '../schema/registry.js';
import { ConfigError } from './errors.js';

/** Parses a YAML file of ours; bad YAML is a ConfigError naming the file, line and column. */
export function readYamlFile(file: string, shownAs: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0] ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      throw new ConfigError(`Failed to load ${shownAs}: invalid YAML${where}: ${error.message.split('\n')[0]}`);
    }
    throw error;
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

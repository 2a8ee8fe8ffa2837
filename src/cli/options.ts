import type { ParseArgsConfig } from 'node:util';

// Flags per command, kept apart from the commands so that parsing and --help load nothing heavy.

export const RUN_OPTIONS = {
  target: { type: 'string', default: 'reference' },
  'base-url': { type: 'string' },
  'api-key-env': { type: 'string' },
  mode: { type: 'string', default: 'live' },
  features: { type: 'string' },
  models: { type: 'string' },
  out: { type: 'string', default: 'compat-report' },
  recordings: { type: 'string', default: 'recordings' },
  fixtures: { type: 'string' },
  expectations: { type: 'string' },
  timeout: { type: 'string', default: '60000' },
  concurrency: { type: 'string' },
  'max-requests': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const SERVE_OPTIONS = {
  port: { type: 'string', default: '8080' },
  host: { type: 'string', default: '127.0.0.1' },
  profile: { type: 'string', default: 'openai' },
  fault: { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const TARGETS_OPTIONS = {} satisfies NonNullable<ParseArgsConfig['options']>;

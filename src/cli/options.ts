import type { ParseArgsConfig } from 'node:util';

// Flags per command, kept apart from the commands so that parsing and --help load nothing heavy.

export const RUN_OPTIONS = {
  target: { type: 'string', multiple: true },
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
  'poll-timeout': { type: 'string' },
  concurrency: { type: 'string' },
  har: { type: 'string' },
  shard: { type: 'string' },
  baseline: { type: 'string' },
  repeat: { type: 'string' },
  threshold: { type: 'string', default: '0.8' },
  'requests-per-minute': { type: 'string' },
  'max-requests': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const SERVE_OPTIONS = {
  port: { type: 'string', default: '8080' },
  host: { type: 'string', default: '127.0.0.1' },
  profile: { type: 'string', default: 'openai' },
  fault: { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const VALIDATE_OPTIONS = {
  out: { type: 'string', default: 'validate-report' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const PROXY_OPTIONS = {
  upstream: { type: 'string' },
  port: { type: 'string', default: '8787' },
  out: { type: 'string', default: 'proxy-report' },
  har: { type: 'string' },
  'refresh-ms': { type: 'string', default: '5000' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const DIFF_OPTIONS = {
  format: { type: 'string', default: 'terminal' },
  'target-map': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const REPORT_OPTIONS = {
  out: { type: 'string', default: 'compat-report' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const TARGETS_OPTIONS = {} satisfies NonNullable<ParseArgsConfig['options']>;

import type { Mode } from '../core/types.js';
import type { FeatureId } from '../core/types.js';
import type { ResolvedTarget } from '../targets/load.js';
import type { Expectation } from '../types/generated/expectations.js';

/** What the CLI hands to the vitest workers (through `provide`): plain, serialisable data, never a key. */
export interface RunConfig {
  fixturesDir: string;
  target: ResolvedTarget;
  mode: Mode;
  recordingsDir: string;
  timeoutMs: number;
  pollIntervalMs?: number;
  features: FeatureId[];
  /** Known failures of this target (expectations/<target>.yaml or --expectations). */
  expectations: Expectation[];
}

declare module 'vitest' {
  interface ProvidedContext {
    oaiRun: RunConfig;
  }
}

/** The key for a target: its environment variable, else the public key of the built-in server. */
export function apiKeyFor(target: ResolvedTarget, mode: Mode): string | undefined {
  if (mode === 'replay') return undefined;
  return process.env[target.apiKeyEnv] || target.publicKey;
}

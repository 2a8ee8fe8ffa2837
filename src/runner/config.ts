import type { Mode } from '../core/types.js';
import type { Case } from '../fixtures/load.js';
import type { MediaItem } from '../fixtures/media.js';
import type { ResolvedTarget } from '../targets/load.js';
import type { Expectation } from '../types/generated/expectations.js';
import type { RepeatSettings } from './repeat.js';

/**
 * What the CLI hands to the vitest workers (through `provide`): plain, serialisable data, never
 * a key. The fixtures arrive validated, so workers neither read nor check them again.
 */
export interface RunConfig {
  target: ResolvedTarget;
  mode: Mode;
  recordingsDir: string;
  timeoutMs: number;
  pollIntervalMs?: number;
  /** --poll-timeout: replaces every polling step's time-out. */
  pollTimeoutMs?: number;
  /** The validated cases of the selected features. */
  cases: Case[];
  media: Record<string, MediaItem>;
  /** Known failures of this target (expectations/<target>.yaml or --expectations). */
  expectations: Expectation[];
  /** `--repeat N`: cases with behaviour checks run N times and those checks get a pass rate. */
  repeat?: RepeatSettings;
  /** --max-requests: the limit, and the folder where workers claim their requests (src/transport/budget.ts). */
  budget?: { dir: string; max: number };
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

import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { assertMatchesSchema, readYamlFile } from '../core/yaml-file.js';
import type { FeatureId } from '../core/types.js';
import type { ModelRole } from '../fixtures/load.js';
import type { Target } from '../types/generated/target.js';

/** How hard a run may press a target: requests in flight, and started per minute when set. */
export interface RequestLimits {
  concurrency: number;
  requestsPerMinute?: number;
}

/** Requests in flight when neither the target file nor --concurrency says. */
export const DEFAULT_CONCURRENCY = 4;

export interface Claim {
  supported: boolean | 'partial';
  doc?: string;
  note?: string;
}

/** A target with the command-line overrides applied. Serialisable: it travels to the test workers. */
export interface ResolvedTarget {
  id: string;
  name: string;
  /** `builtin` until the CLI has started the reference server. */
  baseUrl: string;
  apiKeyEnv: string;
  publicKey?: string;
  models: Partial<Record<ModelRole, string>>;
  claims: Partial<Record<FeatureId, Claim>>;
  limits: RequestLimits;
  /** Where the target came from, for messages. */
  file: string;
}

export interface TargetOverrides {
  baseUrl?: string;
  apiKeyEnv?: string;
  models?: Partial<Record<ModelRole, string>>;
  limits?: Partial<RequestLimits>;
}

/** Finds `targets/<name>.yaml` for a bare name, or reads the file path given. */
export function loadTarget(nameOrFile: string, targetsDir: string, overrides: TargetOverrides = {}): ResolvedTarget {
  const isPath = /[/\\]|\.ya?ml$/.test(nameOrFile);
  const file = isPath ? path.resolve(nameOrFile) : path.join(targetsDir, `${nameOrFile}.yaml`);
  const shownAs = isPath ? nameOrFile : `targets/${nameOrFile}.yaml`;
  if (!existsSync(file)) {
    throw new ConfigError(`Failed to load target "${nameOrFile}": no file ${shownAs}. Use a name from targets/ (reference, gemini, openai) or a path to a target YAML file.`);
  }
  const data = readYamlFile(file, shownAs);
  assertMatchesSchema(data, 'target.schema.json', shownAs);
  const t = data as Target;
  const requestsPerMinute = overrides.limits?.requestsPerMinute ?? t.limits?.requests_per_minute;
  return {
    id: t.id,
    name: t.name,
    baseUrl: (overrides.baseUrl ?? t.base_url).replace(/\/+$/, ''),
    apiKeyEnv: overrides.apiKeyEnv ?? t.auth.env,
    ...(t.auth.public_key ? { publicKey: t.auth.public_key } : {}),
    models: { ...(t.models as ResolvedTarget['models']), ...overrides.models },
    claims: (t.claims ?? {}) as ResolvedTarget['claims'],
    limits: {
      concurrency: overrides.limits?.concurrency ?? t.limits?.concurrency ?? DEFAULT_CONCURRENCY,
      ...(requestsPerMinute ? { requestsPerMinute } : {}),
    },
    file: shownAs,
  };
}

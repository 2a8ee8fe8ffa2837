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
const DEFAULT_CONCURRENCY = 4;

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
  /** How the key is sent (schemas/target.schema.json auth.style). */
  authStyle: AuthStyle;
  publicKey?: string;
  /** Extra request headers: a value, or the name of the variable that holds it (resolved where requests are sent). */
  headers: Record<string, string | { env: string }>;
  /** Base URL per operation family, where it differs from `baseUrl`. */
  baseUrls: Partial<Record<Family, string>>;
  models: Partial<Record<ModelRole, string>>;
  claims: Partial<Record<FeatureId, Claim>>;
  /** Vendor extensions the endpoint offers (fixtures/features.yaml `extensions`). */
  extensions: string[];
  /** Parameters set under every request of a kind that does not set them. */
  requestDefaults: RequestDefaults;
  /** Bounds of polling steps on this endpoint (and whether a slow one is resumed by a later run). */
  poll: NonNullable<Target['poll']>;
  /** Values of the endpoint's world that cases read as {{values.NAME}}. */
  values: Record<string, string>;
  limits: RequestLimits;
  /** Where the target came from, for messages. */
  file: string;
}

export type RequestDefaults = NonNullable<Target['request_defaults']>;
export type AuthStyle = NonNullable<Target['auth']['style']>;
export type Family = keyof NonNullable<Target['base_urls']>;

export interface TargetOverrides {
  baseUrl?: string;
  apiKeyEnv?: string;
  models?: Partial<Record<ModelRole, string>>;
  limits?: Partial<RequestLimits>;
}

/** The target's extensions must be known ones, so a typo cannot silently skip cases. */
export function assertKnownExtensions(target: ResolvedTarget, known: Record<string, unknown>): void {
  const i = target.extensions.findIndex((e) => !Object.hasOwn(known, e));
  if (i >= 0) {
    throw new ConfigError(
      `Failed to load ${target.file}: field /extensions/${i} names unknown extension "${target.extensions[i]}". Known extensions (fixtures/features.yaml): ${Object.keys(known).join(', ')}.`,
    );
  }
}

/** Finds `targets/<name>.yaml` for a bare name, or reads the file path given. */
export function loadTarget(nameOrFile: string, targetsDir: string, overrides: TargetOverrides = {}): ResolvedTarget {
  const isPath = /[/\\]|\.ya?ml$/.test(nameOrFile);
  const file = isPath ? path.resolve(nameOrFile) : path.join(targetsDir, `${nameOrFile}.yaml`);
  const shownAs = isPath ? nameOrFile : `targets/${nameOrFile}.yaml`;
  if (!isPath && !existsSync(file)) {
    throw new ConfigError(`Failed to load target "${nameOrFile}": no file ${shownAs}. Use a name from targets/ (oai-compat targets lists them) or a path to a target YAML file.`);
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
    authStyle: t.auth.style ?? 'bearer',
    headers: t.headers ?? {},
    baseUrls: Object.fromEntries(Object.entries(t.base_urls ?? {}).map(([family, url]) => [family, url.replace(/\/+$/, '')])),
    ...(t.auth.public_key ? { publicKey: t.auth.public_key } : {}),
    models: { ...(t.models as ResolvedTarget['models']), ...overrides.models },
    claims: (t.claims ?? {}) as ResolvedTarget['claims'],
    extensions: t.extensions ?? [],
    requestDefaults: t.request_defaults ?? {},
    poll: t.poll ?? {},
    values: t.values ?? {},
    limits: {
      concurrency: overrides.limits?.concurrency ?? t.limits?.concurrency ?? DEFAULT_CONCURRENCY,
      ...(requestsPerMinute ? { requestsPerMinute } : {}),
    },
    file: shownAs,
  };
}

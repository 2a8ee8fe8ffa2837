import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_IDS } from '../checks/ids.js';
import { ConfigError } from '../core/errors.js';
import { FEATURE_IDS, type FeatureId, type Mode } from '../core/types.js';
import { loadExpectations } from '../expectations/apply.js';
import { listMedia, loadFixtures, type ModelRole } from '../fixtures/load.js';
import { loadMedia } from '../fixtures/media.js';
import type { RunConfig } from '../runner/config.js';
import { startReferenceServer, type RunningServer } from '../server/index.js';
import { loadTarget } from '../targets/load.js';
import { PACKAGE_ROOT, TOOL } from './paths.js';


const MODES: Mode[] = ['live', 'record', 'replay'];
const ROLES: ModelRole[] = ['chat', 'reasoning', 'vision', 'audio', 'embedding', 'image'];

function list(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function parseFeatures(value: unknown): FeatureId[] {
  if (value === undefined) return [...FEATURE_IDS];
  const wanted = list(value);
  const unknown = wanted.filter((f) => !(FEATURE_IDS as readonly string[]).includes(f));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new ConfigError(`--features: unknown feature "${unknown[0] ?? ''}". Valid features: ${FEATURE_IDS.join(', ')}.`);
  }
  return FEATURE_IDS.filter((f) => wanted.includes(f));
}

function parseModels(value: unknown): Partial<Record<ModelRole, string>> {
  const models: Partial<Record<ModelRole, string>> = {};
  for (const pair of list(value)) {
    const [role, name] = pair.split('=');
    if (!role || !name || !ROLES.includes(role as ModelRole)) {
      throw new ConfigError(`--models: "${pair}" is not role=name with a role among ${ROLES.join(', ')} (e.g. --models chat=gemini-2.5-flash).`);
    }
    models[role as ModelRole] = name;
  }
  return models;
}

function positiveInt(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`--${flag}: expected a positive whole number, got "${String(value)}".`);
  return n;
}

/** recordings/<target>/recording.json: where a recording was made, so replay can address the same URLs. */
function recordingMetaPath(recordingsDir: string, targetId: string): string {
  return path.join(recordingsDir, targetId, 'recording.json');
}

/** Everything a run needs, checked: bad input is a ConfigError (exit 2) before anything starts. */
function prepareRun(values: Record<string, unknown>) {
  const mode = values.mode as Mode;
  if (!MODES.includes(mode)) throw new ConfigError(`--mode: unknown mode "${String(mode)}". Valid modes: ${MODES.join(', ')}.`);
  const features = parseFeatures(values.features);
  const timeoutMs = positiveInt('timeout', values.timeout);
  const target = loadTarget(String(values.target), path.join(PACKAGE_ROOT, 'targets'), {
    ...(values['base-url'] ? { baseUrl: String(values['base-url']) } : {}),
    ...(values['api-key-env'] ? { apiKeyEnv: String(values['api-key-env']) } : {}),
    models: parseModels(values.models),
    limits: {
      ...(values.concurrency !== undefined ? { concurrency: positiveInt('concurrency', values.concurrency) } : {}),
      ...(values['requests-per-minute'] !== undefined ? { requestsPerMinute: positiveInt('requests-per-minute', values['requests-per-minute']) } : {}),
    },
  });
  if (target.baseUrl !== 'builtin' && !/^https?:\/\/[^/]+/.test(target.baseUrl)) {
    throw new ConfigError(`--base-url: "${target.baseUrl}" is not an http(s) URL (e.g. http://127.0.0.1:8080/v1).`);
  }
  const fixturesDir = values.fixtures ? path.resolve(String(values.fixtures)) : path.join(PACKAGE_ROOT, 'fixtures');
  if (!existsSync(path.join(fixturesDir, 'features.yaml'))) {
    throw new ConfigError(`--fixtures: ${fixturesDir} has no features.yaml; point it at a folder laid out like fixtures/.`);
  }
  const cases = loadFixtures(fixturesDir, { checkIds: CHECK_IDS, mediaNames: new Set(listMedia(fixturesDir)) });
  const ownExpectations = path.join(PACKAGE_ROOT, 'expectations', `${target.id}.yaml`);
  const expectationsFile = values.expectations ? path.resolve(String(values.expectations)) : existsSync(ownExpectations) ? ownExpectations : undefined;
  const expectations = expectationsFile
    ? loadExpectations(expectationsFile, values.expectations ? String(values.expectations) : `expectations/${target.id}.yaml`, {
        targetId: target.id,
        caseIds: new Set(cases.map((c) => c.id)),
        checkIds: CHECK_IDS,
      })
    : [];
  if (mode !== 'replay' && !process.env[target.apiKeyEnv] && !target.publicKey) {
    throw new ConfigError(
      `Failed to run against ${target.id}: the API key variable ${target.apiKeyEnv} is not set. Export it, pass --api-key-env VAR, or use --mode replay with recordings.`,
    );
  }
  const recordingsDir = path.resolve(String(values.recordings));
  const run: RunConfig = {
    target,
    mode,
    recordingsDir,
    timeoutMs,
    cases: cases.filter((c) => features.includes(c.feature)),
    media: loadMedia(fixturesDir),
    expectations,
    // The reference server advances a batch per request, so there is nothing to wait for.
    ...(target.id === 'reference' ? { pollIntervalMs: 0 } : {}),
  };
  return { run, features, outDir: path.resolve(String(values.out)) };
}

/** Where the run goes: the built-in server (started here, or the recorded URL in replay) or the target's URL. */
async function resolveBaseUrl(run: RunConfig): Promise<RunningServer | undefined> {
  const { target, mode, recordingsDir } = run;
  if (target.baseUrl !== 'builtin') return undefined;
  if (mode === 'replay') {
    const meta = recordingMetaPath(recordingsDir, target.id);
    if (!existsSync(meta)) throw new ConfigError(`Failed to replay ${target.id}: no recording in ${path.dirname(meta)}. Record one first with --mode record.`);
    target.baseUrl = (JSON.parse(readFileSync(meta, 'utf8')) as { baseUrl: string }).baseUrl;
    return undefined;
  }
  const server = await startReferenceServer({ port: 0, ...(target.publicKey ? { apiKey: process.env[target.apiKeyEnv] || target.publicKey } : {}) });
  target.baseUrl = server.baseUrl;
  return server;
}

/**
 * Every feature file runs in one worker process that keeps its modules between files, so undici,
 * ajv, openai and the compiled schema registry load once: per-process setup was most of a
 * replay. Requests overlap across files through the scheduler (src/runner/scheduler.ts): the
 * first file collected starts the cases of all files, which relies on this one shared worker.
 */
const ONE_SHARED_WORKER = { pool: 'forks', isolate: false, maxWorkers: 1 } as const;

export interface RunHooks {
  /** Called once every TypeScript module the CLI needs is loaded, before vitest is (bin/oai-compat.mjs turns tsx's loader off). */
  releaseLoader?: () => Promise<void>;
}

export async function runCommand(values: Record<string, unknown>, hooks: RunHooks = {}): Promise<number> {
  const { run, features, outDir } = prepareRun(values);
  const { target, mode } = run;
  const server = await resolveBaseUrl(run);
  if (mode === 'record') {
    const meta = recordingMetaPath(run.recordingsDir, target.id);
    mkdirSync(path.dirname(meta), { recursive: true });
    writeFileSync(meta, JSON.stringify({ target: target.id, baseUrl: target.baseUrl, models: target.models, recordedAt: new Date().toISOString(), tool: TOOL }, null, 2) + '\n');
  }

  // vitest and the reporters load only once the input is known to be good, so usage errors answer at
  // once; vitest after the loader is released, as tsx's hooks make loading it 4x slower.
  const [{ MatrixReporter }, { ProgressReporter }] = await Promise.all([
    import('../../reporters/matrix-reporter.js'),
    import('../../reporters/progress-reporter.js'),
  ]);
  await hooks.releaseLoader?.();
  const { startVitest } = await import('vitest/node');
  const matrix = new MatrixReporter({
    outDir,
    run: { tool: TOOL, startedAt: new Date().toISOString(), targets: [{ id: target.id, baseUrl: target.baseUrl, mode, models: target.models }] },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  process.stderr.write(`oai-compat ${TOOL.version}: ${features.length} feature(s) against ${target.id} (${target.baseUrl}), mode ${mode}\n`);
  try {
    const vitest = await startVitest(
      'test',
      features.map((f) => `suites/${f}.test.ts`),
      {
        root: PACKAGE_ROOT,
        config: false,
        watch: false,
        provide: { oaiRun: run },
        reporters: [new ProgressReporter(), matrix, ['junit', { outputFile: path.join(outDir, 'junit.xml') }]],
        ...ONE_SHARED_WORKER,
        // A case may poll a batch for a long time; per-request timeouts live in the transport.
        testTimeout: 0,
      },
      { test: { include: ['suites/*.test.ts'] } },
    );
    await vitest.close();
  } finally {
    await server?.close();
  }
  if (!matrix.report || matrix.problems.length > 0) return 1;
  return matrix.report.summary.exitCode;
}

import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECK_IDS, CHECK_VOCABULARY } from '../checks/ids.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { FEATURE_IDS, type FeatureId, type Mode } from '../core/types.js';
import { loadExpectations } from '../expectations/apply.js';
import { listMedia, loadFixtures, loadVocabulary, MODEL_ROLES, type Case, type ExtensionInfo, type ModelRole } from '../fixtures/load.js';
import { loadMedia, type MediaItem } from '../fixtures/media.js';
import { toHar } from '../passive/har.js';
import { readCaptures } from '../passive/read.js';
import { appendStepSummary } from '../report/github.js';
import { caseInfoOf, provenanceOf } from '../report/provenance.js';
import { readReportFile } from '../report/read.js';
import { renderMarkdownSummary } from '../report/render-markdown.js';
import { judgedFeatures } from '../report/judged.js';
import { apiKeyFor, type RunConfig } from '../runner/config.js';
import { configProblem } from '../runner/endpoint-problems.js';
import type { RepeatSettings } from '../runner/repeat.js';
import { cassettePath, INVALID_API_KEY } from '../runner/run-case.js';
import { startReferenceServer, type RunningServer } from '../server/index.js';
import { assertKnownExtensions, loadTarget } from '../targets/load.js';
import { headerEnvVars } from '../targets/requests.js';
import { NOT_SENT, RequestBudget } from '../transport/budget.js';
import { preflight } from './preflight.js';
import { compareWithBaseline } from './diff.js';
import { PACKAGE_ROOT, TOOL } from './paths.js';


const MODES: Mode[] = ['live', 'record', 'replay'];

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
    const [role, name, ...more] = pair.split('=');
    if (!role || !name || more.length > 0 || !MODEL_ROLES.includes(role as ModelRole)) {
      throw new ConfigError(`--models: "${pair}" is not role=name with a role among ${MODEL_ROLES.join(', ')} (e.g. --models chat=gemini-2.5-flash).`);
    }
    models[role as ModelRole] = name;
  }
  return models;
}

function positiveInt(flag: string, value: unknown, max?: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n <= 0 || n > (max ?? Number.MAX_SAFE_INTEGER)) {
    throw new ConfigError(`--${flag}: expected ${max === undefined ? 'a positive whole number' : `a whole number from 1 to ${max}`}, got "${String(value)}".`);
  }
  return n;
}

/** A shell's exit code for a process a signal stopped: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
const signalExitCode = (signal: NodeJS.Signals) => 128 + (os.constants.signals[signal] ?? 2);

/** The longest --timeout: an hour per request. */
const MAX_TIMEOUT_MS = 3_600_000;

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns under /proc (it retries
 * the ENOENT there forever), so a bad --out would hang the run.
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

/** A folder flag (--out, --recordings) must name a folder this process can write: checked before anything runs, so nothing hangs or is lost at the end. */
function writableDir(flag: string, value: unknown): string {
  const dir = path.resolve(String(value));
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError(`--${flag}: ${String(value)} is a file, not a folder. Pass a folder.`);
  try {
    makeDirs(dir);
    // Written for real: permission bits say nothing for root, or on a read-only mount.
    const probe = path.join(dir, `.oai-compat-write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new ConfigError(`--${flag}: cannot write to ${String(value)} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}). Pass a folder you can write.`);
  }
  return dir;
}

/** A base URL that is a real http(s) URL. */
function assertBaseUrl(url: string, where: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname) {
    throw new ConfigError(`${where}: "${url}" is not an http(s) URL (e.g. http://127.0.0.1:8080/v1).`);
  }
}

/** recordings/<target>/recording.json: where a recording was made, so replay can address the same URLs. */
function recordingMetaPath(recordingsDir: string, targetId: string): string {
  return path.join(recordingsDir, targetId, 'recording.json');
}

/** The --target values: repeated flags and comma lists alike, in order. */
function targetNames(value: unknown): string[] {
  const names = (Array.isArray(value) ? value : [value]).flatMap(list);
  return names.length > 0 ? names : ['reference'];
}

interface SharedInput {
  mode: Mode;
  timeoutMs: number;
  recordingsDir: string;
  cases: Case[];
  media: Record<string, MediaItem>;
  caseIds: Set<string>;
  /** Step ids per case, so an expectation naming a step that does not exist is refused. */
  stepIds: Map<string, string[]>;
  /** The cases of every selected feature, across shards. */
  selection: Case[];
  /** The vendor extensions fixtures/features.yaml knows: a target may offer only these. */
  extensions: Record<string, ExtensionInfo>;
  /** --poll-timeout: replaces every polling step's time-out. */
  pollTimeoutMs?: number;
  repeat?: RepeatSettings;
}

/** One target's part of the run, checked: its file, URL, expectations and key. */
function prepareTarget(nameOrFile: string, values: Record<string, unknown>, shared: SharedInput): RunConfig {
  const { mode } = shared;
  const target = loadTarget(nameOrFile, path.join(PACKAGE_ROOT, 'targets'), {
    ...(values['base-url'] ? { baseUrl: String(values['base-url']) } : {}),
    ...(values['api-key-env'] ? { apiKeyEnv: String(values['api-key-env']) } : {}),
    models: parseModels(values.models),
    limits: {
      ...(values.concurrency !== undefined ? { concurrency: positiveInt('concurrency', values.concurrency, 64) } : {}),
      ...(values['requests-per-minute'] !== undefined ? { requestsPerMinute: positiveInt('requests-per-minute', values['requests-per-minute']) } : {}),
    },
  });
  if (target.baseUrl !== 'builtin') assertBaseUrl(target.baseUrl, values['base-url'] ? '--base-url' : `${target.file}: base_url`);
  for (const [family, url] of Object.entries(target.baseUrls)) assertBaseUrl(url, `${target.file}: base_urls.${family}`);
  assertKnownExtensions(target, shared.extensions);
  const ownExpectations = path.join(PACKAGE_ROOT, 'expectations', `${target.id}.yaml`);
  const expectationsFile = values.expectations ? path.resolve(String(values.expectations)) : existsSync(ownExpectations) ? ownExpectations : undefined;
  const expectations = expectationsFile
    ? loadExpectations(expectationsFile, values.expectations ? String(values.expectations) : `expectations/${target.id}.yaml`, {
        targetId: target.id,
        caseIds: shared.caseIds,
        checkIds: CHECK_IDS,
        stepIds: shared.stepIds,
      })
    : [];
  if (mode !== 'replay' && !process.env[target.apiKeyEnv] && !target.publicKey) {
    throw new ConfigError(
      `Failed to run against ${target.id}: the API key variable ${target.apiKeyEnv} is not set. Export it, pass --api-key-env VAR, or use --mode replay with recordings.`,
    );
  }
  if (mode !== 'replay') {
    const unset = headerEnvVars(target).filter((name) => !process.env[name]);
    if (unset.length > 0) throw new ConfigError(`Failed to run against ${target.id}: ${target.file} sends a header read from ${unset.join(', ')}, which is not set. Export it or remove the header.`);
  }
  return {
    target,
    mode,
    recordingsDir: shared.recordingsDir,
    timeoutMs: shared.timeoutMs,
    cases: shared.cases,
    media: shared.media,
    expectations,
    ...(shared.repeat ? { repeat: shared.repeat } : {}),
    ...(shared.pollTimeoutMs !== undefined ? { pollTimeoutMs: shared.pollTimeoutMs } : {}),
  };
}

/** Everything a run needs, checked: bad input is a ConfigError (exit 2) before anything starts. */
function prepareRun(values: Record<string, unknown>) {
  const mode = values.mode as Mode;
  if (!MODES.includes(mode)) throw new ConfigError(`--mode: unknown mode "${String(mode)}". Valid modes: ${MODES.join(', ')}.`);
  const shard = parseShard(values.shard);
  const selected = parseFeatures(values.features);
  const features = featuresOfShard(selected, shard);
  const timeoutMs = positiveInt('timeout', values.timeout, MAX_TIMEOUT_MS);
  const maxRequests = values['max-requests'] === undefined ? undefined : positiveInt('max-requests', values['max-requests']);
  const pollTimeoutMs = values['poll-timeout'] === undefined ? undefined : positiveInt('poll-timeout', values['poll-timeout']);
  const names = targetNames(values.target);
  if (names.length > 1 && (values['base-url'] || values['api-key-env'])) {
    throw new ConfigError('--base-url and --api-key-env apply to a single --target; with several targets, give each its own target file (base_url, auth.env).');
  }
  const fixturesDir = values.fixtures ? path.resolve(String(values.fixtures)) : path.join(PACKAGE_ROOT, 'fixtures');
  if (!existsSync(path.join(fixturesDir, 'features.yaml'))) {
    throw new ConfigError(`--fixtures: ${String(values.fixtures)} has no features.yaml; point it at a folder laid out like the built-in fixtures/ (features.yaml, <feature>/*.yaml, media/).`);
  }
  const shownDir = values.fixtures ? String(values.fixtures).replace(/\/+$/, '') : 'fixtures';
  const cases = loadFixtures(fixturesDir, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(fixturesDir)), shownDir });
  if (values.har !== undefined && mode !== 'record') {
    throw new ConfigError(`--har: the HAR is written from what a run records; add --mode record (got --mode ${mode}).`);
  }
  const ofShard = cases.filter((c) => features.includes(c.feature));
  if (ofShard.length === 0) {
    const from = values.fixtures ? `--fixtures ${String(values.fixtures)}` : 'the built-in fixtures';
    throw new ConfigError(`Nothing to run: ${values.features ? `--features ${String(values.features)}` : 'the selection'}${shard ? ` (shard ${shard.index}/${shard.count})` : ''} selects no case in ${from}. Choose features that have fixtures (oai-compat run --help lists them).`);
  }
  const shared: SharedInput = {
    mode,
    timeoutMs,
    recordingsDir: mode === 'record' ? writableDir('recordings', values.recordings) : path.resolve(String(values.recordings)),
    cases: ofShard,
    media: loadMedia(fixturesDir),
    // Provenance names the fixture set of the whole selection, so the shards of a run merge.
    selection: cases.filter((c) => selected.includes(c.feature)),
    caseIds: new Set(cases.map((c) => c.id)),
    stepIds: new Map(cases.map((c) => [c.id, c.steps.map((s) => s.id)])),
    extensions: loadVocabulary(fixturesDir, shownDir).extensions,
    ...(pollTimeoutMs !== undefined ? { pollTimeoutMs } : {}),
    ...parseRepeat(values),
  };
  const runs = names.map((name) => prepareTarget(name, values, shared));
  const seen = new Map<string, string>();
  for (const { target } of runs) {
    const earlier = seen.get(target.id);
    if (earlier !== undefined) throw new ConfigError(`--target: ${earlier} and ${target.file} both have id "${target.id}"; each target of a run needs its own id.`);
    seen.set(target.id, target.file);
  }
  // The baseline is read (and validated) before anything runs, so a bad file answers at once.
  const baseline = values.baseline === undefined ? undefined : readReportFile(String(values.baseline));
  const harFile = values.har === undefined ? undefined : path.resolve(String(values.har));
  return { runs, shared, features, shard, baseline, outDir: writableDir('out', values.out), harFile, maxRequests };
}

/** --repeat N and --threshold R (a pass rate, 0 < R <= 1). */
function parseRepeat(values: Record<string, unknown>): { repeat?: RepeatSettings } {
  const threshold = Number(values.threshold);
  if (!(threshold > 0 && threshold <= 1)) throw new ConfigError(`--threshold: expected a pass rate above 0 and at most 1 (e.g. 0.8), got "${String(values.threshold)}".`);
  if (values.repeat === undefined) return {};
  return { repeat: { runs: positiveInt('repeat', values.repeat), threshold } };
}

/** --shard i/n: this run takes the i-th of n slices of the features (the shards' reports merge into the whole). */
function parseShard(value: unknown): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    throw new ConfigError(`--shard: expected INDEX/COUNT with 1 <= INDEX <= COUNT (e.g. --shard 2/3), got "${String(value)}".`);
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

/**
 * The features of a shard: every count-th, starting at the index-th. The CLI slices the run
 * itself rather than handing vitest its --shard: the first feature file of a run starts the cases
 * of every file (src/runner/scheduler.ts), so a shard must hold only its own cases.
 */
function featuresOfShard(features: FeatureId[], shard: { index: number; count: number } | undefined): FeatureId[] {
  return shard ? features.filter((_, i) => i % shard.count === shard.index - 1) : features;
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

/** Keeps where a recording was made, so that replay addresses the same URLs. */
function writeRecordingMeta(run: RunConfig): void {
  const meta = recordingMetaPath(run.recordingsDir, run.target.id);
  mkdirSync(path.dirname(meta), { recursive: true });
  const { target } = run;
  writeFileSync(meta, JSON.stringify({ target: target.id, baseUrl: target.baseUrl, models: target.models, recordedAt: new Date().toISOString(), tool: TOOL }, null, 2) + '\n');
}

/** `--har`: the run's recordings (already free of credentials) as one HAR 1.2 file, for HAR viewers and `validate`. */
function writeRunHar(runs: RunConfig[], harFile: string): void {
  const cassettes = runs.flatMap((run) => run.cases.flatMap((c) => (['blocking', 'streaming'] as const).map((t) => cassettePath(run, c, t)))).filter((f) => existsSync(f));
  const captured = readCaptures(cassettes);
  const secrets = [...runs.map((run) => process.env[run.target.apiKeyEnv]), INVALID_API_KEY].filter((s): s is string => Boolean(s));
  mkdirSync(path.dirname(harFile), { recursive: true });
  writeFileSync(harFile, toHar(captured, TOOL, secrets));
  process.stderr.write(`HAR written to ${harFile} (${captured.length} exchanges)\n`);
}

/** One vitest project per target, each with its own provided RunConfig (vitest's pattern for per-project data). */
function targetProject(run: RunConfig, features: FeatureId[]) {
  return { extends: true as const, test: { name: run.target.id, include: features.map((f) => `suites/${f}.test.ts`), provide: { oaiRun: run } } };
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

/** What a run writes into --out; an older copy is removed first, so a stale report never looks current. */
const REPORT_FILES = ['report.json', 'report.md', 'report.html', 'junit.xml', 'diff.md'];

export async function runCommand(values: Record<string, unknown>, hooks: RunHooks = {}): Promise<number> {
  const { runs, shared, features, shard, baseline, outDir, harFile, maxRequests } = prepareRun(values);
  const { mode } = shared;
  for (const file of REPORT_FILES) rmSync(path.join(outDir, file), { force: true });
  const servers: RunningServer[] = [];
  // --max-requests: one budget for the run, shared through a folder by whoever sends.
  const budgetDir = maxRequests !== undefined && mode !== 'replay' ? mkdtempSync(path.join(os.tmpdir(), 'oai-compat-budget-')) : undefined;
  try {
    for (const run of runs) {
      const builtin = run.target.baseUrl === 'builtin';
      const server = await resolveBaseUrl(run);
      if (server) servers.push(server);
      if (budgetDir) run.budget = { dir: budgetDir, max: maxRequests! };
      if (!builtin && mode !== 'replay') await preflight(run.target, apiKeyFor(run.target, mode) ?? '', run.timeoutMs, run.budget && new RequestBudget(run.budget.dir, run.budget.max));
      if (mode === 'record') writeRecordingMeta(run);
    }
    return await execute(runs, shared, features, { shard, baseline, outDir, harFile }, hooks);
  } finally {
    await Promise.all(servers.map((server) => server.close()));
    if (budgetDir) rmSync(budgetDir, { recursive: true, force: true });
  }
}

async function execute(
  runs: RunConfig[],
  shared: SharedInput,
  features: FeatureId[],
  { shard, baseline, outDir, harFile }: { shard?: { index: number; count: number }; baseline?: ReturnType<typeof readReportFile>; outDir: string; harFile?: string },
  hooks: RunHooks,
): Promise<number> {
  const { mode } = shared;
  // vitest and the reporters load only once the input is known to be good, so usage errors answer at
  // once; vitest after the loader is released, as tsx's hooks make loading it 4x slower.
  const [{ MatrixReporter }, { ProgressReporter }] = await Promise.all([
    import('../../reporters/matrix-reporter.js'),
    import('../../reporters/progress-reporter.js'),
  ]);
  await hooks.releaseLoader?.();
  const { startVitest } = await import('vitest/node');
  // A signal stops the run and still writes the report, marked partial; a second one leaves at once.
  let interruptedBy: NodeJS.Signals | undefined;
  let vitest: { cancelCurrentRun(reason: 'keyboard-input'): Promise<void> } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) process.exit(signalExitCode(signal));
    interruptedBy = signal;
    process.stderr.write(`\noai-compat: ${signal}: stopping; the report will be written, marked as interrupted (${signal} again to quit at once).\n`);
    void vitest?.cancelCurrentRun('keyboard-input');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const matrix = new MatrixReporter({
    outDir,
    run: {
      tool: TOOL,
      startedAt: new Date().toISOString(),
      targets: runs.map(({ target }) => ({ id: target.id, baseUrl: target.baseUrl, mode, models: target.models, ...(Object.keys(target.claims).length > 0 ? { claims: target.claims } : {}) })),
      provenance: provenanceOf(shared.selection, shared.media),
      cases: caseInfoOf(shared.cases),
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    interruptedBy: () => interruptedBy,
    planned: [...new Set(shared.cases.flatMap((c) => c.transports.map((t) => `${c.id} [${t}]`)))],
  });
  // JUnit goes to a side file first: an interrupted or failed write never leaves a 0-byte junit.xml.
  const junitPartial = path.join(outDir, '.junit.xml.partial');
  const against = runs.map(({ target }) => `${target.id} (${target.baseUrl})`).join(', ');
  process.stderr.write(`oai-compat ${TOOL.version}: ${features.length} feature(s) against ${against}, mode ${mode}${shard ? `, shard ${shard.index}/${shard.count}` : ''}\n`);
  try {
    const instance = await startVitest(
      'test',
      [],
      {
        root: PACKAGE_ROOT,
        config: false,
        watch: false,
        projects: runs.map((run) => targetProject(run, features)),
        reporters: [
          {
            onInit: (v) => {
              vitest = v;
              // vitest's logger exits the process on SIGINT/SIGTERM, before any report is written: the run takes them over.
              for (const signal of ['SIGINT', 'SIGTERM'] as const) for (const l of process.listeners(signal)) if (l !== onSignal) process.off(signal, l);
            },
          },
          new ProgressReporter(),
          matrix,
          ['junit', { outputFile: junitPartial }],
        ],
        ...ONE_SHARED_WORKER,
        // A case may poll a batch for a long time; per-request timeouts live in the transport.
        testTimeout: 0,
      },
      { test: { include: ['suites/*.test.ts'] } },
    );
    await instance.close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (existsSync(junitPartial)) {
      if (statSync(junitPartial).size > 0) {
        renameSync(junitPartial, path.join(outDir, 'junit.xml'));
        process.stdout.write(`JUnit report moved to ${path.join(outDir, 'junit.xml')}\n`);
      } else rmSync(junitPartial);
    }
  }
  if (interruptedBy) return signalExitCode(interruptedBy);
  if (harFile) writeRunHar(runs, harFile);
  if (!matrix.report) return 1;
  const { results } = matrix.report;
  for (const { target } of runs) {
    const problem = configProblem(results.filter((r) => r.target === target.id), { baseUrl: target.baseUrl, file: target.file });
    if (problem) {
      process.stderr.write(`oai-compat run: ${problem}\n`);
      return 2;
    }
  }
  const notSent = results.filter((r) => r.status === 'skip' && r.message.startsWith(NOT_SENT));
  if (notSent.length > 0) process.stderr.write(`oai-compat run: ${new Set(notSent.map((r) => `${r.target} ${r.case} [${r.transport}]`)).size} test(s) not run: ${notSent[0]!.message.slice(NOT_SENT.indexOf('--'))}.\n`);
  if (matrix.problems.length > 0) return 1;
  if (matrix.report.summary.exitCode === 0 && judgedFeatures(results).length === 0) {
    const reasons = [...new Set(results.map((r) => `${r.status}: ${r.message}`))].slice(0, 3);
    process.stderr.write(`oai-compat run: nothing was judged: no check gave a verdict (${reasons.join('; ')}). A run that judges nothing is not a pass.\n`);
    return 2;
  }
  appendStepSummary(renderMarkdownSummary(matrix.report));
  return baseline ? compareWithBaseline(baseline, matrix.report, outDir) : matrix.report.summary.exitCode;
}

import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECK_IDS, CHECK_VOCABULARY } from '../checks/index.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { FEATURE_IDS, type FeatureId, type Mode } from '../core/types.js';
import { loadExpectations } from '../expectations/apply.js';
import { listMedia, loadFixtures, loadVocabulary, MODEL_ROLES, type ModelRole } from '../fixtures/load.js';
import { loadMedia } from '../fixtures/media.js';
import { apiKeyFor, type RunConfig } from '../runner/config.js';
import { startReferenceServer, type RunningServer } from '../server/index.js';
import { assertKnownExtensions, loadTarget } from '../targets/load.js';
import { headerEnvVars } from '../targets/requests.js';
import { judgedFeatures } from '../report/judged.js';
import { configProblem } from '../runner/endpoint-problems.js';
import { preflight } from './preflight.js';
import { RequestBudget } from '../transport/budget.js';
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

function positiveInt(flag: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || !Number.isInteger(n) || n <= 0 || n > max) {
    throw new ConfigError(`--${flag}: expected a whole number from 1 to ${max}, got "${String(value)}".`);
  }
  return n;
}

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
    accessSync(dir, constants.W_OK);
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

/** Everything a run needs, checked: bad input is a ConfigError (exit 2) before anything starts. */
function prepareRun(values: Record<string, unknown>) {
  const mode = values.mode as Mode;
  if (!MODES.includes(mode)) throw new ConfigError(`--mode: unknown mode "${String(mode)}". Valid modes: ${MODES.join(', ')}.`);
  const features = parseFeatures(values.features);
  const timeoutMs = positiveInt('timeout', values.timeout, MAX_TIMEOUT_MS);
  const concurrency = values.concurrency === undefined ? undefined : positiveInt('concurrency', values.concurrency, 64);
  const maxRequests = values['max-requests'] === undefined ? undefined : positiveInt('max-requests', values['max-requests']);
  const target = loadTarget(String(values.target), path.join(PACKAGE_ROOT, 'targets'), {
    ...(values['base-url'] ? { baseUrl: String(values['base-url']) } : {}),
    ...(values['api-key-env'] ? { apiKeyEnv: String(values['api-key-env']) } : {}),
    models: parseModels(values.models),
  });
  if (target.baseUrl !== 'builtin') assertBaseUrl(target.baseUrl, values['base-url'] ? '--base-url' : `${target.file}: base_url`);
  for (const [family, url] of Object.entries(target.baseUrls)) assertBaseUrl(url, `${target.file}: base_urls.${family}`);
  const fixturesDir = values.fixtures ? path.resolve(String(values.fixtures)) : path.join(PACKAGE_ROOT, 'fixtures');
  if (!existsSync(path.join(fixturesDir, 'features.yaml'))) {
    throw new ConfigError(`--fixtures: ${String(values.fixtures)} has no features.yaml; point it at a folder laid out like the built-in fixtures/ (features.yaml, <feature>/*.yaml, media/).`);
  }
  const shownDir = values.fixtures ? String(values.fixtures).replace(/\/+$/, '') : 'fixtures';
  const cases = loadFixtures(fixturesDir, { ...CHECK_VOCABULARY, mediaNames: new Set(listMedia(fixturesDir)), shownDir });
  assertKnownExtensions(target, loadVocabulary(fixturesDir, shownDir).extensions);
  const ownExpectations = path.join(PACKAGE_ROOT, 'expectations', `${target.id}.yaml`);
  const expectationsFile = values.expectations ? path.resolve(String(values.expectations)) : existsSync(ownExpectations) ? ownExpectations : undefined;
  const expectations = expectationsFile
    ? loadExpectations(expectationsFile, values.expectations ? String(values.expectations) : `expectations/${target.id}.yaml`, {
        targetId: target.id,
        caseIds: new Set(cases.map((c) => c.id)),
        checkIds: CHECK_IDS,
        stepIds: new Map(cases.map((c) => [c.id, c.steps.map((s) => s.id)])),
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
  const selected = cases.filter((c) => features.includes(c.feature));
  if (selected.length === 0) {
    const from = values.fixtures ? `--fixtures ${String(values.fixtures)}` : 'the built-in fixtures';
    throw new ConfigError(`Nothing to run: ${values.features ? `--features ${String(values.features)}` : 'the selection'} selects no case in ${from}. Choose features that have fixtures (oai-compat run --help lists them).`);
  }
  const recordingsDir = mode === 'record' ? writableDir('recordings', values.recordings) : path.resolve(String(values.recordings));
  const outDir = writableDir('out', values.out);
  const run: RunConfig = {
    target,
    mode,
    recordingsDir,
    timeoutMs,
    cases: selected,
    media: loadMedia(fixturesDir),
    expectations,
    // The reference server advances a batch per request, so there is nothing to wait for.
    ...(target.id === 'reference' ? { pollIntervalMs: 0 } : {}),
  };
  return { run, features, concurrency, outDir, maxRequests };
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

/** What a run writes into --out; an older copy is removed first, so a stale report never looks current. */
const REPORT_FILES = ['report.json', 'report.md', 'junit.xml'];

export async function runCommand(values: Record<string, unknown>): Promise<number> {
  const { run, features, concurrency, outDir, maxRequests } = prepareRun(values);
  const { target, mode } = run;
  for (const file of REPORT_FILES) rmSync(path.join(outDir, file), { force: true });
  const builtin = target.baseUrl === 'builtin';
  const server = await resolveBaseUrl(run);
  const budgetDir = maxRequests !== undefined && mode !== 'replay' ? mkdtempSync(path.join(os.tmpdir(), 'oai-compat-budget-')) : undefined;
  if (budgetDir) run.budget = { dir: budgetDir, max: maxRequests! };
  try {
    if (!builtin && mode !== 'replay') await preflight(target, apiKeyFor(target, mode) ?? '', run.timeoutMs, run.budget && new RequestBudget(run.budget.dir, run.budget.max));
    return await execute(run, features, concurrency, outDir);
  } finally {
    await server?.close();
    if (budgetDir) rmSync(budgetDir, { recursive: true, force: true });
  }
}

async function execute(run: RunConfig, features: FeatureId[], concurrency: number | undefined, outDir: string): Promise<number> {
  const { target, mode } = run;
  if (mode === 'record') {
    const meta = recordingMetaPath(run.recordingsDir, target.id);
    mkdirSync(path.dirname(meta), { recursive: true });
    writeFileSync(meta, JSON.stringify({ target: target.id, baseUrl: target.baseUrl, models: target.models, recordedAt: new Date().toISOString(), tool: TOOL }, null, 2) + '\n');
  }

  // vitest and the reporters load only once the input is known to be good, so usage errors answer at once.
  const [{ startVitest }, { MatrixReporter }, { ProgressReporter }] = await Promise.all([
    import('vitest/node'),
    import('../../reporters/matrix-reporter.js'),
    import('../../reporters/progress-reporter.js'),
  ]);
  // A signal stops the run and still writes the report, marked partial; a second one leaves at once.
  let interruptedBy: NodeJS.Signals | undefined;
  let vitest: { cancelCurrentRun(reason: 'keyboard-input'): Promise<void> } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedBy) process.exit(128 + (os.constants.signals[signal] ?? 2));
    interruptedBy = signal;
    process.stderr.write(`\noai-compat: ${signal}: stopping; the report will be written, marked as interrupted (${signal} again to quit at once).\n`);
    void vitest?.cancelCurrentRun('keyboard-input');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const matrix = new MatrixReporter({
    outDir,
    run: { tool: TOOL, startedAt: new Date().toISOString(), targets: [{ id: target.id, baseUrl: target.baseUrl, mode, models: target.models }] },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    interruptedBy: () => interruptedBy,
    planned: run.cases.flatMap((c) => c.transports.map((t) => `${c.id} [${t}]`)),
  });
  // JUnit goes to a side file first: an interrupted or failed write never leaves a 0-byte junit.xml.
  const junitPartial = path.join(outDir, '.junit.xml.partial');
  process.stderr.write(`oai-compat ${TOOL.version}: ${features.length} feature(s) against ${target.id} (${target.baseUrl}), mode ${mode}\n`);
  try {
    const instance = await startVitest(
      'test',
      features.map((f) => `suites/${f}.test.ts`),
      {
        root: PACKAGE_ROOT,
        config: false,
        watch: false,
        provide: { oaiRun: run },
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
        ...(concurrency ? { maxWorkers: concurrency } : {}),
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
  if (interruptedBy) return 128 + (os.constants.signals[interruptedBy] ?? 2);
  if (!matrix.report) return 1;
  const { results } = matrix.report;
  const problem = configProblem(results, { baseUrl: target.baseUrl, file: target.file });
  if (problem) {
    process.stderr.write(`oai-compat run: ${problem}\n`);
    return 2;
  }
  const notSent = results.filter((r) => r.status === 'skip' && r.message.startsWith('not run: --max-requests'));
  if (notSent.length > 0) process.stderr.write(`oai-compat run: ${new Set(notSent.map((r) => `${r.case} [${r.transport}]`)).size} test(s) not run: ${notSent[0]!.message.slice('not run: '.length)}.\n`);
  if (matrix.problems.length > 0) return 1;
  if (matrix.report.summary.exitCode === 0 && judgedFeatures(results).length === 0) {
    const reasons = [...new Set(results.map((r) => `${r.status}: ${r.message}`))].slice(0, 3);
    process.stderr.write(`oai-compat run: nothing was judged: no check gave a verdict (${reasons.join('; ')}). A run that judges nothing is not a pass.\n`);
    return 2;
  }
  return matrix.report.summary.exitCode;
}

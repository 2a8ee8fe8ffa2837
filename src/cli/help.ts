import { FEATURE_IDS } from '../core/types.js';
import { FAULTS, PROFILES } from '../server/faults/index.js';

const RUN = `Usage: oai-compat run [options]

Runs the conformance suite against one target and writes a compatibility report.

Options:
  --target NAME|FILE     a built-in target (oai-compat targets lists them) or a YAML file [reference]
  --base-url URL         override the target's base URL (e.g. http://127.0.0.1:8080/v1)
  --api-key-env VAR      read the API key from VAR instead of the target's variable
  --mode MODE            live | record | replay                                  [live]
                           record: live, and writes recordings (credentials removed)
                           replay: no network at all; a missing recording is an error
  --features A,B         only these features (${FEATURE_IDS.join(', ')})
  --models ROLE=NAME,..  override model roles (chat, reasoning, vision, audio, embedding, image)
  --out DIR              report folder: report.json, report.md, junit.xml   [compat-report]
  --recordings DIR       where recordings are written and read                 [recordings]
  --fixtures DIR         fixture folder (features.yaml, <feature>/*.yaml, media/) [built-in]
  --expectations FILE    known failures of the target: matching failures become xfail,
                         unexpected passes xpass          [expectations/<target>.yaml if any]
  --timeout MS           per-request timeout, live and record alike: no headers, or a
                         body that stalls this long, is an error            [60000]
  --concurrency N        test files run in parallel (vitest workers)
  --max-requests N       send at most N requests (cost control); what was not sent is
                         reported as skip "not run: --max-requests N reached"
  -h, --help             this help

The target "reference" starts the built-in reference server in-process (no key, no network).
Before a live run, GET /models and an empty POST /chat/completions check that the base URL
serves OpenAI routes: a 404 for both, or a 404 for a model, is exit 2 with the fix.
A 429 is retried twice at most, waiting as Retry-After asks (up to 30 s).
SIGINT/SIGTERM stop the run and still write the report, marked interrupted (exit 130/143).
`;

const TARGETS = `Usage: oai-compat targets

Lists the built-in targets (targets/*.yaml): id, base URL, where the key is read from, the
model roles and whether known deviations are listed in expectations/<id>.yaml.
`;

const SERVE = `Usage: oai-compat serve [options]

Starts the deterministic reference server (OpenAI-compatible, under /v1) in the foreground.

Options:
  --port N               port on 127.0.0.1, 0 for a free one                    [8080]
  --host HOST            interface to listen on                                  [127.0.0.1]
  --profile NAME         ${Object.keys(PROFILES).join(' | ')}                                        [openai]
  --fault A,B            inject faults (see below), to see checks fail
  -h, --help             this help

Profiles:
${Object.entries(PROFILES).map(([name, p]) => `  ${name.padEnd(22)} ${p.description}`).join('\n')}

Faults:
${Object.entries(FAULTS).map(([name, f]) => `  ${name.padEnd(26)} ${f.description}`).join('\n')}
`;

const MAIN = `oai-compat: which documented OpenAI features really work on this endpoint, for this model, today?

Usage: oai-compat <command> [options]

Commands:
  run      run the conformance suite against a target and write the report
  serve    start the built-in reference server
  targets  list the built-in targets

Exit codes: 0 at expectations, 1 failures (fail or error results), 2 bad usage, configuration or input.
Run "oai-compat <command> --help" for the options of a command.
`;

export function helpText(command?: string): string {
  if (command === 'run') return RUN;
  if (command === 'serve') return SERVE;
  if (command === 'targets') return TARGETS;
  return MAIN;
}

import { FEATURE_IDS } from '../core/types.js';
import { FAULTS, PROFILES } from '../server/faults/index.js';

const RUN = `Usage: oai-compat run [options]

Runs the conformance suite against one target and writes a compatibility report.

Options:
  --target NAME|FILE     target from targets/ (reference, gemini, openai) or a YAML file [reference]
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
  --timeout MS           per-request timeout                                   [60000]
  --concurrency N        requests in flight at once, all features together
                         [the target's limits.concurrency, else 4]
  --requests-per-minute N  requests started in any 60 s window
                         [the target's limits.requests_per_minute, else no limit]
  -h, --help             this help

The target "reference" starts the built-in reference server in-process (no key, no network).
Every feature runs in one worker process; the cases of all features start together and queue for
a request slot (a case's steps stay in order, its blocking run before its streaming run), so a slow
endpoint is as fast as --concurrency allows. Keep a live vendor within its rate limits with
--concurrency and --requests-per-minute, or with "limits:" in the target file.
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

Exit codes: 0 at expectations, 1 failures (fail or error results), 2 bad usage, configuration or input.
Run "oai-compat <command> --help" for the options of a command.
`;

export function helpText(command?: string): string {
  if (command === 'run') return RUN;
  if (command === 'serve') return SERVE;
  return MAIN;
}

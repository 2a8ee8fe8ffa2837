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
  --concurrency N        test files run in parallel (vitest workers)
  --har FILE             with --mode record: also write the run's exchanges as one HAR 1.2
                         file (credentials removed), for HAR viewers and oai-compat validate
  -h, --help             this help

The target "reference" starts the built-in reference server in-process (no key, no network).
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

const VALIDATE = `Usage: oai-compat validate PATH... [options]

Judges captured traffic with every check that can judge it: wire (HTTP, SSE framing), schema,
the official openai SDK (fed the captured bytes), and the request-aware checks when the
request is in the capture (tool calls against the declared tools, include_usage, json_schema
output, dimensions...). What a capture cannot say (no request body, SSE framing lost) is
reported as "not judged" with the reason, never as a finding and never as a pass.

PATH is a file or a folder (searched recursively, in name order) of:
  *.har                  HAR 1.2 (browsers, Playwright, mitmproxy, Charles, oai-compat proxy):
                         one exchange per log.entries item; base64 and gzip content decoded
  *.json                 HAR, or a recording of oai-compat run --mode record
  *.jsonl                batch output files: one result per line

Options:
  --out DIR              report folder: report.json, report.md               [validate-report]
  -h, --help             this help

Each result carries source {file, entry} (HAR / recording entry, from 0) or {file, line}.
The terminal summary groups results by vendor host and endpoint.
Exit codes: 0 no must finding, 1 a must finding (or a check crashed), 2 unreadable input.
`;

const PROXY = `Usage: oai-compat proxy --upstream URL [options]

A validating pass-through on 127.0.0.1 for live traffic: point any app or SDK's base URL at
it. Requests go to the upstream as they came; answers come back with status, headers and bytes
untouched, streams chunk by chunk as the upstream sends them. Each exchange is checked after
it completed, with the same checks as validate; a line per finding is printed as it happens.

Options:
  --upstream URL         the endpoint's base URL; the proxy's /x goes to <URL>/x
                         (e.g. https://api.openai.com/v1, then use base URL http://127.0.0.1:PORT)
  --port N               port on 127.0.0.1, 0 for a free one                    [8787]
  --out DIR              report folder: report.json, report.md                  [proxy-report]
  --har FILE             also keep the traffic as HAR 1.2, secrets removed (Authorization,
                         api-key, x-goog-api-key, key= and the key anywhere, in any encoding)
  --refresh-ms MS        how often the report (and HAR) is rewritten             [5000]
  -h, --help             this help

The report is also written on SIGINT/SIGTERM (Ctrl-C). Exit code then: 1 if a must finding
was seen, else 0.
`;

const MAIN = `oai-compat: which documented OpenAI features really work on this endpoint, for this model, today?

Usage: oai-compat <command> [options]

Commands:
  run        run the conformance suite against a target and write the report
  serve      start the built-in reference server
  validate   judge captured traffic: HAR files, recordings, batch output files
  proxy      a validating pass-through for live traffic

Exit codes: 0 at expectations, 1 failures (fail or error results), 2 bad usage, configuration or input.
Run "oai-compat <command> --help" for the options of a command.
`;

export function helpText(command?: string): string {
  if (command === 'run') return RUN;
  if (command === 'serve') return SERVE;
  if (command === 'validate') return VALIDATE;
  if (command === 'proxy') return PROXY;
  return MAIN;
}

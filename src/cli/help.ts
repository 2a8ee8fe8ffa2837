import { FEATURE_IDS } from '../core/types.js';
import { FAULTS, PROFILES } from '../server/faults/index.js';

const RUN = `Usage: oai-compat run [options]

Runs the conformance suite against one or more targets and writes a compatibility report.

Options:
  --target NAME|FILE     a built-in target (oai-compat targets lists them) or a YAML file [reference]
                         several (--target a,b or --target a --target b): one report, side by side
  --base-url URL         override the target's base URL (e.g. http://127.0.0.1:8080/v1); one target only
  --api-key-env VAR      read the API key from VAR instead of the target's variable; one target only
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
  --poll-timeout MS      how long a polling step (a batch) may wait   [the target's poll, else the fixture's]
  --concurrency N        requests in flight at once, all features together
                         [the target's limits.concurrency, else 4]
  --requests-per-minute N  requests started in any 60 s window
                         [the target's limits.requests_per_minute, else no limit]
  --max-requests N       send at most N requests (cost control); what was not sent is
                         reported as skip "not run: --max-requests N reached"
  --har FILE             with --mode record: also write the run's exchanges as one HAR 1.2
                         file (credentials removed), for HAR viewers and oai-compat validate
  --shard I/N            run the I-th of N slices of the features (every N-th, from the I-th);
                         merge the shards' reports with oai-compat report
  --repeat N             run cases with behaviour checks (the model's choices: tool call,
                         finish reason, content, JSON output, thoughts, budget) N times;
                         those checks report a pass rate, and cells show passes/runs
  --threshold R          pass rate a behaviour check needs under --repeat          [0.8]
  --baseline FILE        compare with an earlier report.json: prints the diff, writes diff.md,
                         and the exit code follows the diff (1 only on regressions)
  -h, --help             this help

The target "reference" starts the built-in reference server in-process (no key, no network).
Every feature runs in one worker process; the cases of all features start together and queue for
a request slot (a case's steps stay in order, its blocking run before its streaming run), so a slow
endpoint is as fast as --concurrency allows. Keep a live vendor within its rate limits with
--concurrency and --requests-per-minute, or with "limits:" in the target file.
Before a live run, GET /models and an empty POST /chat/completions check that the base URL
serves OpenAI routes: a 404 for both, or a 404 for a model, is exit 2 with the fix.
A 429 is retried twice at most, waiting as Retry-After asks (up to 30 s).
SIGINT/SIGTERM stop the run and still write the report, marked interrupted (exit 130/143).
Under GitHub Actions the matrix (and the baseline diff) go to $GITHUB_STEP_SUMMARY, and each
regression becomes an ::error annotation.
`;

const DIFF = `Usage: oai-compat diff OLD.json NEW.json [options]

Compares two reports by stable ids (target, feature, case, transport).

  regressions     passed in OLD, fail or unsupported in NEW (the only cause of exit 1)
  infrastructure  error in NEW (timeouts, 5xx, rate limits): listed apart, never a regression
  fixes           failed or unsupported in OLD, pass in NEW
  new, removed    cases in only one of the reports; other outcome changes; matrix cell changes

Options:
  --format FORMAT        terminal | markdown                                     [terminal]
  --target-map OLD=NEW   compare OLD's results of a target under another id (a vendor switch:
                         --target-map gemini=openai); several as a,b
  -h, --help             this help

A folder stands for the report.json in it. Exit codes: 0 no regression, 1 regressions,
2 a file that is missing or not a valid report (the message names the file and the field).
`;

const REPORT = `Usage: oai-compat report FILE_OR_DIR... [options]

Merges reports (the shards of a run --shard, or runs of different targets) into one report,
and re-renders it: report.json, report.md, report.html, junit.xml and the terminal matrix.

Options:
  --out DIR              where the merged report goes                         [compat-report]
  -h, --help             this help

A test present in two of the reports (two runs of the same target) is an error (exit 2).
Exit codes: 0 when the merged report has no fail or error result, 1 otherwise, 2 bad input.
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
  run        run the conformance suite against one or more targets and write the report
  diff       compare two reports: regressions, fixes, infrastructure trouble, new and removed cases
  report     merge reports (shards, targets) into one and re-render it
  validate   judge captured traffic: HAR files, recordings, batch output files
  proxy      a validating pass-through for live traffic
  serve      start the built-in reference server
  targets    list the built-in targets

Exit codes: 0 at expectations, 1 failures (fail or error results; for diff and run --baseline:
regressions only), 2 bad usage, configuration or input.
Run "oai-compat <command> --help" for the options of a command.
`;

export function helpText(command?: string): string {
  if (command === 'run') return RUN;
  if (command === 'serve') return SERVE;
  if (command === 'validate') return VALIDATE;
  if (command === 'proxy') return PROXY;
  if (command === 'diff') return DIFF;
  if (command === 'report') return REPORT;
  if (command === 'targets') return TARGETS;
  return MAIN;
}

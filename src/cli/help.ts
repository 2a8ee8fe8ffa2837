import { FEATURE_IDS } from '../core/types.js';
import { FAULTS, PROFILES } from '../server/faults.js';

const RUN = `Usage: oai-compat run [options]

Runs the conformance suite against one or more targets and writes a compatibility report.

Options:
  --target NAME|FILE     target from targets/ (reference, gemini, openai) or a YAML file [reference]
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
  --timeout MS           per-request timeout                                   [60000]
  --concurrency N        test files run in parallel (vitest workers)
  --shard I/N            run the I-th of N slices of the test files (vitest --shard);
                         merge the shards' reports with oai-compat report
  --repeat N             run cases with behaviour checks (the model's choices: tool call,
                         finish reason, content, JSON output, thoughts, budget) N times;
                         those checks report a pass rate, and cells show passes/runs
  --threshold R          pass rate a behaviour check needs under --repeat          [0.8]
  --baseline FILE        compare with an earlier report.json: prints the diff, writes diff.md,
                         and the exit code follows the diff (1 only on regressions)
  -h, --help             this help

The target "reference" starts the built-in reference server in-process (no key, no network).
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
  run      run the conformance suite against one or more targets and write the report
  diff     compare two reports: regressions, fixes, infrastructure trouble, new and removed cases
  report   merge reports (shards, targets) into one and re-render it
  serve    start the built-in reference server

Exit codes: 0 at expectations, 1 failures (fail or error results; for diff and run --baseline:
regressions only), 2 bad usage, configuration or input.
Run "oai-compat <command> --help" for the options of a command.
`;

export function helpText(command?: string): string {
  if (command === 'run') return RUN;
  if (command === 'serve') return SERVE;
  if (command === 'diff') return DIFF;
  if (command === 'report') return REPORT;
  return MAIN;
}

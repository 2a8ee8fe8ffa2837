import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, errorMessage } from '../core/errors.js';
import { helpText } from './help.js';
import { DIFF_OPTIONS, PROXY_OPTIONS, REPORT_OPTIONS, RUN_OPTIONS, SERVE_OPTIONS, TARGETS_OPTIONS, VALIDATE_OPTIONS } from './options.js';
import type { RunHooks } from './run.js';

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  options: Options;
  /** Whether the command takes positional arguments (files, paths). */
  positionals?: boolean;
  handler: (values: Record<string, unknown>, positionals: string[], hooks: RunHooks) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  run: { options: RUN_OPTIONS, handler: async (values, _, hooks) => (await import('./run.js')).runCommand(values, hooks) },
  serve: { options: SERVE_OPTIONS, handler: async (values) => (await import('./serve.js')).serveCommand(values) },
  validate: { options: VALIDATE_OPTIONS, positionals: true, handler: async (values, paths) => (await import('./validate.js')).validateCommand(values, paths) },
  proxy: { options: PROXY_OPTIONS, handler: async (values) => (await import('./proxy.js')).proxyCommand(values) },
  diff: { options: DIFF_OPTIONS, positionals: true, handler: async (values, files) => (await import('./diff.js')).diffCommand(values, files) },
  report: { options: REPORT_OPTIONS, positionals: true, handler: async (values, files) => (await import('./report.js')).reportCommand(values, files) },
  targets: { options: TARGETS_OPTIONS, handler: async () => (await import('./targets.js')).targetsCommand() },
};

/** Parses argv and runs the command. Returns the exit code: 0 at expectations, 1 failures, 2 bad input. */
export async function main(argv: string[], hooks: RunHooks = {}): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(helpText(rest[0]));
    return 0;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    process.stderr.write(`oai-compat: unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}. See oai-compat --help.\n`);
    return 2;
  }
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: rest, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: spec.positionals === true, tokens: true });
    ({ values, positionals } = parsed);
    // parseArgs keeps the last of a repeated flag silently; two values for one setting is a mistake
    // (flags that take several, such as --target, say so with `multiple`).
    const names = parsed.tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : []));
    const repeated = names.find((n, i) => names.indexOf(n) !== i && !(spec.options[n] as { multiple?: boolean } | undefined)?.multiple);
    if (repeated) {
      process.stderr.write(`oai-compat ${command}: --${repeated} is given more than once; give it once (lists take commas: --${repeated} a,b).\n`);
      return 2;
    }
  } catch (error) {
    process.stderr.write(`oai-compat ${command}: ${errorMessage(error).replace(/\. To specify.*$/, '')}. See oai-compat ${command} --help.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(helpText(command));
    return 0;
  }
  try {
    return await spec.handler(values, positionals, hooks);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`oai-compat ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

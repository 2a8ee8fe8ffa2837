import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, errorMessage } from '../core/errors.js';
import { helpText } from './help.js';
import { DIFF_OPTIONS, PROXY_OPTIONS, REPORT_OPTIONS, RUN_OPTIONS, SERVE_OPTIONS, VALIDATE_OPTIONS } from './options.js';
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
    ({ values, positionals } = parseArgs({ args: rest, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: spec.positionals === true }));
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

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, errorMessage } from '../core/errors.js';
import { helpText } from './help.js';
import { RUN_OPTIONS, SERVE_OPTIONS, TARGETS_OPTIONS } from './options.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMANDS: Record<string, { options: Options; handler: (values: Record<string, unknown>) => Promise<number> }> = {
  run: { options: RUN_OPTIONS, handler: async (values) => (await import('./run.js')).runCommand(values) },
  serve: { options: SERVE_OPTIONS, handler: async (values) => (await import('./serve.js')).serveCommand(values) },
  targets: { options: TARGETS_OPTIONS, handler: async () => (await import('./targets.js')).targetsCommand() },
};

/** Parses argv and runs the command. Returns the exit code: 0 at expectations, 1 failures, 2 bad input. */
export async function main(argv: string[]): Promise<number> {
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
  try {
    const parsed = parseArgs({ args: rest, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false, tokens: true });
    values = parsed.values;
    // parseArgs keeps the last of a repeated flag silently; two values for one setting is a mistake.
    const names = parsed.tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : []));
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
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
    return await spec.handler(values);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`oai-compat ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

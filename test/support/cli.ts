import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './env.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `oai-compat ...` as a user would (node bin/oai-compat.mjs), without blocking this process; outside GitHub Actions unless `env` says otherwise. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'oai-compat.mjs'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

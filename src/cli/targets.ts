import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadTarget } from '../targets/load.js';
import { PACKAGE_ROOT } from './paths.js';

/** The built-in targets, sorted by id: what `oai-compat targets` lists. */
export function builtinTargets() {
  const dir = path.join(PACKAGE_ROOT, 'targets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => loadTarget(f.replace(/\.yaml$/, ''), dir))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** `oai-compat targets`: one line per built-in target, with where it points and how it authenticates. */
export async function targetsCommand(): Promise<number> {
  const rows = builtinTargets().map((t) => {
    const auth = t.publicKey ? 'no key needed' : `key in $${t.apiKeyEnv}${t.authStyle === 'bearer' ? '' : ` (${t.authStyle} header)`}`;
    const known = existsSync(path.join(PACKAGE_ROOT, 'expectations', `${t.id}.yaml`)) ? ', known deviations in expectations/' + `${t.id}.yaml` : '';
    const roles = Object.keys(t.models).join(', ') || 'none';
    return [t.id, `${t.name}: ${t.baseUrl === 'builtin' ? 'built-in reference server, started in-process' : t.baseUrl}; ${auth}; roles ${roles}${known}`];
  });
  const width = Math.max(...rows.map(([id]) => id!.length));
  process.stdout.write(`${rows.map(([id, text]) => `${id!.padEnd(width)}  ${text}`).join('\n')}\n\nRun one with: oai-compat run --target ID (override models with --models ROLE=NAME).\n`);
  return 0;
}

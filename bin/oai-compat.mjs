#!/usr/bin/env node
// Entry point of `oai-compat` / `npx oai-compat`: loads the TypeScript sources through tsx,
// so a checkout works right after `npm ci`, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

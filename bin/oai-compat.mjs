#!/usr/bin/env node
// Entry point of `oai-compat` / `npx oai-compat`: loads the TypeScript sources through tsx,
// so a checkout works right after `npm ci`, without a build step.
import { register } from 'tsx/esm/api';

const unregister = register();
const { main } = await import('../src/cli/main.ts');
// `run` turns the loader off before it loads vitest, which needs no TypeScript from here.
process.exitCode = await main(process.argv.slice(2), { releaseLoader: unregister });

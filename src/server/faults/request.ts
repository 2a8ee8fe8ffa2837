import type { Fault } from './pipeline.js';

/** Faults of the parsed request, before any handler sees it. */
export const requestFaults: Record<string, Fault> = {
  'auth-ignored': {
    description: 'any API key (or none) is accepted',
    request: (req) => ({ ...req, authorized: true }),
  },
};

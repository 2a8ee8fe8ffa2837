import { Agent, fetch } from 'undici';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { WireResponse } from '../core/types.js';
import { classify404, errorSummary, notOpenAiHint } from '../runner/endpoint-problems.js';
import type { ResolvedTarget } from '../targets/load.js';
import { routeUrl, targetHeaders } from '../targets/requests.js';
import type { RequestBudget } from '../transport/budget.js';
import { timeouts } from '../transport/modes.js';
import { redactSecrets } from '../transport/redact.js';

/**
 * Before a live run: is anything OpenAI-shaped listening at the base URL? Two cheap requests
 * (the model list, and a chat request without a body the endpoint must refuse) that cost no
 * tokens. When both answer a 404 that is no OpenAI error, the base URL is wrong (no /v1, a
 * gateway's own path) and every feature would come out "unsupported": that is exit 2, not a
 * report. An endpoint that cannot be reached at all is exit 2 too. Both requests count against
 * --max-requests; once it is spent the check stops.
 */
export async function preflight(target: ResolvedTarget, apiKey: string, timeoutMs: number, budget?: RequestBudget): Promise<void> {
  const { headers, secrets } = targetHeaders(target, apiKey);
  const sendable = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== null));
  const dispatcher = new Agent(timeouts(timeoutMs));
  const ask = async (method: 'GET' | 'POST', route: string): Promise<WireResponse> => {
    const url = routeUrl(target, `${target.baseUrl}${route}`);
    try {
      const res = await fetch(url, { method, headers: { ...sendable, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}), dispatcher });
      const body = await res.text();
      return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: body.slice(0, 64 * 1024) };
    } catch (error) {
      throw new ConfigError(
        redactSecrets(`Failed to reach ${target.id} at ${url}: ${errorMessage(error)}. Check the base URL (--base-url, or base_url in ${target.file}) and that the server is running.`, [apiKey, ...secrets]),
      );
    }
  };
  try {
    if (budget && !budget.take()) return;
    const models = await ask('GET', '/models');
    if (classify404(models) !== 'not-openai' || (budget && !budget.take())) return;
    const chat = await ask('POST', '/chat/completions');
    if (classify404(chat) !== 'not-openai') return;
    throw new ConfigError(redactSecrets(notOpenAiHint(target.baseUrl, `GET /models: ${errorSummary(models)}; POST /chat/completions: ${errorSummary(chat)}`), [apiKey, ...secrets]));
  } finally {
    await dispatcher.close();
  }
}

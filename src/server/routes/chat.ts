import { answerChat } from '../chat/answer.js';
import { completionBody, completionChunks } from '../chat/render.js';
import { readChatRequest } from '../chat/request.js';
import type { ServerContext } from '../context.js';
import { json, sse } from '../http.js';
import type { Route } from '../router.js';
import type { Reply } from '../stages.js';
import { idFrom } from '../ids.js';

/** POST /chat/completions, also used for the chat lines of a batch. */
export function createChatCompletion(body: unknown, ctx: ServerContext): Reply {
  const req = readChatRequest(body);
  const id = idFrom('chatcmpl-', JSON.stringify(body));
  const answer = ctx.faults.chat(answerChat(req), req);
  return req.stream ? sse(completionChunks(answer, req, id)) : json(completionBody(answer, req, id));
}

export const chatRoutes: Route[] = [
  { method: 'POST', path: '/chat/completions', op: 'chat.completions', handle: (req, _, ctx) => createChatCompletion(req.json, ctx) },
];

import { json } from './http.js';
import type { JsonReply } from './stages.js';

export interface ErrorFields {
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** Thrown by handlers; the server turns it into an OpenAI error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: ErrorFields = {},
  ) {
    super(message);
  }
}

/** `{"error":{"message","type","param","code"}}`, as OpenAI sends it. */
export function errorReply(status: number, message: string, fields: ErrorFields = {}): JsonReply {
  const type = fields.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  return json({ error: { message, type, param: fields.param ?? null, code: fields.code ?? null } }, status);
}

export function toErrorReply(err: unknown): JsonReply {
  return err instanceof ApiError ? errorReply(err.status, err.message, err.fields) : serverError();
}

export const invalid = (message: string, param: string | null = null, code: string | null = null) =>
  new ApiError(400, message, { param, code });

export const notFound = (message: string, param: string | null = null) => new ApiError(404, message, { param });

export const modelNotFound = (model: string) =>
  new ApiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, { param: 'model', code: 'model_not_found' });

export const unauthorized = () => errorReply(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });

export const serverError = () => errorReply(500, 'The server had an error while processing your request.');

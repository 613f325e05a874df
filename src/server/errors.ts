// Errors as the API answers them: `{"error":{"code","message"}}` with a 4xx status. Routes throw
// ApiError for what the caller did wrong; anything else reaching onError is a bug: a 500 that is
// logged with its stack and tells the caller nothing about the internals.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';
import { QuerySyntaxError } from '../search/parse.ts';

export const ERROR_CODES = ['bad_request', 'invalid_email', 'invalid_challenge', 'query_syntax', 'unauthenticated', 'forbidden', 'csrf', 'not_found', 'ambiguous', 'conflict', 'rate_limited', 'payload_too_large', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** For a query syntax error: the 0-based offset in the query. */
    position: z.number().int().optional(),
  }),
}).openapi('Error');

export type ErrorBody = z.infer<typeof ErrorSchema>;

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function errorBody(code: ErrorCode, message: string, position?: number): ErrorBody {
  return { error: { code, message, ...(position === undefined ? {} : { position }) } };
}

/** Error responses every route may give, for the OpenAPI document. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 429)[]) {
  const descriptions = { 400: 'bad request', 401: 'not logged in', 403: 'not allowed', 404: 'not found', 409: 'conflicts with what exists', 429: 'too many attempts' } as const;
  return Object.fromEntries(statuses.map((s) => [s, { description: descriptions[s], content: { 'application/json': { schema: ErrorSchema } } }]));
}

export function handleError(error: unknown, c: Context, log: (line: string) => void): Response {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(errorBody(error.code, error.message), error.status);
  }
  // QueryCompileError is a QuerySyntaxError too: a query this store cannot answer is the asker's
  if (error instanceof QuerySyntaxError) return c.json(errorBody('query_syntax', error.message, error.position), 400);
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own refusals: a malformed JSON body, a body over the size limit
    const code: ErrorCode = error.status === 413 ? 'payload_too_large' : error.status === 401 ? 'unauthenticated' : 'bad_request';
    return c.json(errorBody(code, error.message || 'bad request'), error.status as ContentfulStatusCode);
  }
  log(`lode serve: internal error on ${c.req.method} ${new URL(c.req.url).pathname} (a bug): ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  return c.json(errorBody('internal', 'internal error (a bug; it has been logged)'), 500);
}

/** Validation failures of zod schemas: which field, and what was wrong with it. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 5).map((i) => `${i.path.length > 0 ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`).join('; ');
}

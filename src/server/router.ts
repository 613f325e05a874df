// Every group of routes is an OpenAPIHono whose failed validations answer in our error shape: the
// hook is taken per instance when a route is registered, so each group needs it, not just the root.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { describeIssues, errorBody } from './errors.ts';

export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(errorBody('bad_request', `invalid ${result.target}: ${describeIssues(result.error.issues)}`), 400);
      return undefined;
    },
  });
}

/** A route's required JSON body, as createRoute's `request.body` wants it. */
export function jsonBody<T>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

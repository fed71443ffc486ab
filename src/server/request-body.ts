/** Request bodies and query parameters, validated with zod; a bad request is a CONFIG error naming the field. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { FloeError } from '../core/errors.js';

export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new FloeError('CONFIG', `request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  return validate(schema, json, 'request body');
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return validate(schema, c.req.query(), 'query parameter');
}

function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? ` '${issue.path.map(String).join('.')}'` : '';
  throw new FloeError('CONFIG', `${what}${field}: ${issue.message}`);
}

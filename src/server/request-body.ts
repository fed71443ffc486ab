/** Request bodies and query parameters, validated with zod; a bad request is a CONFIG error naming the field. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { FloeError } from '../core/errors.js';

/** Largest request body (a SQL script): bigger scripts belong in files the project applies. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await bodyText(c.req.raw);
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

/** The body as UTF-8 text, refused (413) once it grows past MAX_BODY_BYTES, without buffering more. */
async function bodyText(req: Request): Promise<string> {
  if (!req.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new HTTPException(413, { res: Response.json({ error: { code: 'CONFIG', message: `request body is larger than ${MAX_BODY_BYTES} bytes` } }, { status: 413 }) });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

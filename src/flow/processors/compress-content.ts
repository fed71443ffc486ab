/** CompressContent: gzip compress or decompress flowfile content (streamed). */
import { createGunzip, createGzip } from 'node:zlib';
import type { ProcessorSpec } from '../processor-api.js';

export const compressContentSpec: ProcessorSpec = {
  type: 'CompressContent',
  description: 'Compresses or decompresses flowfile content with gzip (the only format floe supports).',
  tags: ['compression', 'gzip', 'content'],
  input: 'required',
  relationships: [
    { name: 'success', description: 'Content was (de)compressed.' },
    { name: 'failure', description: 'The content could not be processed (e.g. not gzip when decompressing).' },
  ],
  properties: [
    { name: 'Mode', description: 'compress or decompress.', default: 'compress', allowedValues: ['compress', 'decompress'] },
    { name: 'Compression Format', description: 'Only gzip is supported.', default: 'gzip', allowedValues: ['gzip', 'use mime.type attribute'], check: (v) => (v === 'gzip' ? undefined : `unsupported: Compression Format '${v}' (floe supports gzip)`) },
    { name: 'Compression Level', description: '0 (none) to 9 (best).', default: '1', kind: 'integer', check: (v) => (Number(v) >= 0 && Number(v) <= 9 ? undefined : 'expected 0 to 9') },
    { name: 'Update Filename', description: 'Add/remove the .gz extension of the filename attribute.', default: 'false', kind: 'boolean' },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      const compress = ctx.property('Mode').evaluate() === 'compress';
      const level = ctx.property('Compression Level').asInteger() ?? 1;
      for (const ff of session.get(ctx.batchSize)) {
        try {
          const transform = compress ? createGzip({ level }) : createGunzip();
          let out = await session.writeStream(ff, session.stream(ff).pipe(transform));
          const attrs: Record<string, string> = compress ? { 'mime.type': 'application/gzip' } : {};
          if (ctx.property('Update Filename').asBoolean()) {
            const name = out.attributes['filename'] ?? '';
            attrs['filename'] = compress ? `${name}.gz` : name.replace(/\.gz$/, '');
          }
          out = session.putAllAttributes(out, attrs);
          session.event('CONTENT_MODIFIED', out, { details: compress ? 'gzip compressed' : 'gzip decompressed' });
          session.transfer(out, 'success');
        } catch (error) {
          ctx.log.error(`could not ${compress ? 'compress' : 'decompress'} ${ff.attributes['filename']}: ${(error as Error).message}`);
          session.transfer(session.penalize(ff), 'failure');
        }
      }
    },
  }),
};

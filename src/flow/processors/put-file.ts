/**
 * PutFile: writes flowfile content to a local directory. Written under a dot-prefixed temporary name, fsynced
 * and renamed into place, so a reader (or a ListFile) never sees a partial file and a crash leaves no torn
 * target; a repeated put after a crash simply replaces the file (idempotent).
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { copyInto } from '../file-utils.js';
import type { ProcessorSpec } from '../processor-api.js';

export const putFileSpec: ProcessorSpec = {
  type: 'PutFile',
  description: 'Writes the content of each flowfile to a file in a local directory.',
  tags: ['file', 'put', 'filesystem', 'egress'],
  input: 'required',
  relationships: [
    { name: 'success', description: 'The file was written.' },
    { name: 'failure', description: 'The file could not be written, or exists and the conflict strategy is fail.' },
  ],
  properties: [
    { name: 'Directory', description: 'Target directory (relative = project folder). The file name is the filename attribute.', required: true, expressionScope: 'flowfile' },
    { name: 'Conflict Resolution Strategy', description: 'When a file of that name exists.', default: 'fail', allowedValues: ['replace', 'ignore', 'fail'] },
    { name: 'Create Missing Directories', description: 'Create the directory if missing.', default: 'true', kind: 'boolean' },
    { name: 'Permissions', description: 'e.g. rw-r----- or 0640.', expressionScope: 'flowfile' },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      for (const ff of session.get(ctx.batchSize)) {
        const raw = ctx.property('Directory').evaluate(ff) ?? '';
        const dir = isAbsolute(raw) ? raw : resolve(ctx.projectDir, raw);
        const name = ff.attributes['filename'] ?? ff.uuid;
        if (name.includes('/') || name === '..' || name === '.') {
          ctx.log.error(`filename '${name}' is not a plain file name; routing to failure`);
          session.transfer(session.penalize(ff), 'failure');
          continue;
        }
        const target = join(dir, name);
        const conflict = ctx.property('Conflict Resolution Strategy').evaluate();
        try {
          if (ctx.property('Create Missing Directories').asBoolean()) await mkdir(dir, { recursive: true });
          if (await stat(target).then(() => true, () => false)) {
            if (conflict === 'ignore') {
              session.transfer(ff, 'success');
              continue;
            }
            if (conflict === 'fail') {
              ctx.log.warn(`${target} already exists; routing to failure`);
              session.transfer(session.penalize(ff), 'failure');
              continue;
            }
          }
          const started = performance.now();
          const tmp = join(dir, `.${name}.${randomUUID()}.tmp`);
          const handle = await open(tmp, 'w');
          try {
            await copyInto(session.stream(ff), handle);
            await handle.sync();
          } finally {
            await handle.close();
          }
          const perms = ctx.property('Permissions').evaluate(ff);
          if (perms) await chmod(tmp, parseMode(perms));
          await rename(tmp, target).catch(async (e) => {
            await rm(tmp, { force: true });
            throw e;
          });
          session.event('SEND', ff, { transitUri: `file://${target}`, durationMillis: Math.round(performance.now() - started) });
          session.transfer(ff, 'success');
        } catch (error) {
          ctx.log.error(`could not write ${target}: ${(error as Error).message}; routing to failure`);
          session.transfer(session.penalize(ff), 'failure');
        }
      }
    },
  }),
};

function parseMode(text: string): number {
  if (/^0?[0-7]{3}$/.test(text)) return Number.parseInt(text, 8);
  if (!/^[r-][w-][x-][r-][w-][x-][r-][w-][x-]$/.test(text)) throw new Error(`invalid permissions '${text}'`);
  let mode = 0;
  for (let i = 0; i < 9; i++) if (text[i] !== '-') mode |= 1 << (8 - i);
  return mode;
}

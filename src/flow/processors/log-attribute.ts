/** LogAttribute: logs each flowfile's attributes (and optionally its content) at a chosen level. */
import type { LogLevel, ProcessorSpec } from '../processor-api.js';

export const logAttributeSpec: ProcessorSpec = {
  type: 'LogAttribute',
  description: 'Writes each flowfile’s attributes to the log (bulletins at WARN and above).',
  tags: ['logging', 'attributes', 'debug'],
  input: 'required',
  relationships: [{ name: 'success', description: 'Every flowfile, unchanged.' }],
  properties: [
    { name: 'Log Level', description: 'Level of the log message.', default: 'info', allowedValues: ['trace', 'debug', 'info', 'warn', 'error'] },
    { name: 'Log Payload', description: 'Also log the content (as UTF-8).', default: 'false', kind: 'boolean' },
    { name: 'Attributes to Log', description: 'Comma-separated names; empty = all.' },
    { name: 'Log prefix', description: 'Text put in front of the message.', expressionScope: 'flowfile' },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      const level = (ctx.property('Log Level').evaluate() ?? 'info').toUpperCase() as LogLevel;
      const only = (ctx.property('Attributes to Log').evaluate() ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      for (const ff of session.get(ctx.batchSize)) {
        const names = (only.length > 0 ? only : Object.keys(ff.attributes)).sort();
        const lines = names.map((n) => `Key: '${n}'  Value: '${ff.attributes[n] ?? ''}'`);
        let message = `${ctx.property('Log prefix').evaluate(ff) ?? ''}Standard FlowFile Attributes\n${lines.join('\n')}`;
        if (ctx.property('Log Payload').asBoolean()) message += `\nPayload:\n${(await session.read(ff)).toString('utf8')}`;
        ctx.log.log(level, message);
        session.transfer(ff, 'success');
      }
    },
  }),
};

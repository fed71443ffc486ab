/** UpdateAttribute: sets attributes from dynamic properties (Expression Language over the flowfile). */
import type { ProcessorSpec } from '../processor-api.js';

export const updateAttributeSpec: ProcessorSpec = {
  type: 'UpdateAttribute',
  description: 'Adds or replaces attributes: each dynamic property is an attribute name and an Expression Language value.',
  tags: ['attributes', 'modification', 'el'],
  input: 'required',
  relationships: [{ name: 'success', description: 'Every flowfile, with its attributes updated.' }],
  dynamicProperties: 'Attribute name → value (Expression Language, evaluated against the incoming attributes).',
  properties: [
    { name: 'Delete Attributes Expression', description: 'Regular expression: matching attributes are removed (before the updates).', kind: 'regex' },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      const del = ctx.property('Delete Attributes Expression').raw;
      const delRe = del ? new RegExp(`^(?:${del})$`) : undefined;
      for (const ff of session.get(ctx.batchSize)) {
        let out = ff;
        if (delRe) out = session.removeAttributes(out, Object.keys(out.attributes).filter((k) => delRe.test(k)));
        const updates: Record<string, string> = {};
        // Every value is evaluated against the incoming attributes, as NiFi does.
        for (const name of ctx.dynamicPropertyNames) updates[name] = ctx.property(name).evaluate(ff) ?? '';
        out = session.putAllAttributes(out, updates);
        session.event('ATTRIBUTES_MODIFIED', out);
        session.transfer(out, 'success');
      }
    },
  }),
};

/**
 * RouteOnAttribute: each dynamic property is a relationship whose boolean Expression Language decides the
 * route. Strategies as NiFi: Route to Property name (a flowfile may match several → cloned),
 * Route to 'matched' if all match, Route to 'matched' if any matches.
 */
import type { ProcessorSpec } from '../processor-api.js';

export const routeOnAttributeSpec: ProcessorSpec = {
  type: 'RouteOnAttribute',
  description: 'Routes flowfiles by boolean Expression Language conditions; dynamic properties define the routes.',
  tags: ['routing', 'attributes', 'el'],
  input: 'required',
  relationships: [
    { name: 'unmatched', description: 'No condition matched.' },
    { name: 'matched', description: "Route to 'matched' strategies only." },
  ],
  relationshipsFor: (props, names) =>
    props['Routing Strategy'] === 'Route to Property name' || props['Routing Strategy'] === undefined
      ? [{ name: 'unmatched', description: 'No condition matched.' }, ...names.map((n) => ({ name: n, description: `Condition '${n}' matched.` }))]
      : [{ name: 'unmatched', description: 'The condition(s) did not match.' }, { name: 'matched', description: 'The condition(s) matched.' }],
  dynamicProperties: 'Route name → boolean Expression Language condition (Route to Property name creates one relationship per property).',
  properties: [
    {
      name: 'Routing Strategy',
      description: 'How conditions map to relationships.',
      default: 'Route to Property name',
      allowedValues: ['Route to Property name', "Route to 'matched' if all match", "Route to 'matched' if any matches"],
    },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      const strategy = ctx.property('Routing Strategy').evaluate();
      for (const ff of session.get(ctx.batchSize)) {
        const matched = ctx.dynamicPropertyNames.filter((n) => ctx.property(n).evaluate(ff) === 'true');
        let routes: string[];
        if (strategy === 'Route to Property name') routes = matched.length > 0 ? matched : ['unmatched'];
        else if (strategy === "Route to 'matched' if all match") routes = matched.length === ctx.dynamicPropertyNames.length && matched.length > 0 ? ['matched'] : ['unmatched'];
        else routes = matched.length > 0 ? ['matched'] : ['unmatched'];
        routes.forEach((rel, i) => {
          const target = i === 0 ? ff : session.create(ff);
          const out = session.putAttribute(target, 'RouteOnAttribute.Route', rel);
          session.event('ROUTE', out, { relationship: rel });
          session.transfer(out, rel);
        });
      }
    },
  }),
};

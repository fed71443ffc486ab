import { openEngine } from './src/engine/open-engine.js';
const e = await openEngine({ database: ':memory:' });
const s = await e.session();
const script = process.argv[2];
for await (const o of s.run(script, { continueOnError: true })) {
  if (o.ok) { console.log('>', o.result.sql.slice(0, 80).replace(/\s+/g, ' ')); if (o.result.columns.length) console.log(o.result.columns.map(c => c.name).join(' | ')); for (const r of o.result.rows) console.log('  ', r.map(v => String(v)).join(' | ')); }
  else console.log('ERR', o.sql.slice(0, 60), '→', o.error.message);
}
await e.close();

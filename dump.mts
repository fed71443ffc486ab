import { parseSnowflake } from './src/sql/ast/polyglot.js';
console.log(JSON.stringify(parseSnowflake(process.argv[2])[0], (k, v) => (k === 'span' || k === 'trailing_comments' ? undefined : v)).slice(0, Number(process.argv[3] ?? 3000)));

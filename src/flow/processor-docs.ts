/** Markdown reference for processors, generated from their specs (docs/flow-processors.md, `floe flow processors X`). */
import type { ProcessorSpec } from './processor-api.js';
import { allProcessorSpecs } from './processors/registry.js';

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function processorDocs(spec: ProcessorSpec): string {
  const lines = [`## ${spec.type}`, '', spec.description, ''];
  const facts = [
    `input ${spec.input}`,
    spec.triggerSerially ? 'one task at a time' : undefined,
    spec.defaultSchedule ? `default run schedule ${spec.defaultSchedule}` : undefined,
    `tags: ${spec.tags.join(', ')}`,
  ].filter(Boolean);
  lines.push(`*${facts.join(' · ')}*`, '', '| Property | Default | Allowed / kind | EL | Description |', '|---|---|---|---|---|');
  for (const p of spec.properties) {
    const allowed = p.allowedValues ? p.allowedValues.map((v) => `\`${v}\``).join(', ') : (p.kind ?? 'string');
    const flags = [p.required ? '**required**' : '', p.sensitive ? '**sensitive**' : '', p.dependsOn ? `(with ${p.dependsOn.property} = ${p.dependsOn.values.join('/')})` : '']
      .filter(Boolean)
      .join(' ');
    lines.push(`| ${cell(p.name)} | ${p.default !== undefined ? `\`${cell(p.default)}\`` : ''} | ${cell(allowed)} | ${p.expressionScope ?? 'none'} | ${cell(`${flags} ${p.description}`.trim())} |`);
  }
  if (spec.dynamicProperties) lines.push('', `Dynamic properties: ${spec.dynamicProperties}`);
  lines.push('', '| Relationship | Description |', '|---|---|');
  for (const r of spec.relationships) lines.push(`| ${r.name} | ${cell(r.description)} |`);
  if (spec.writesAttributes?.length) {
    lines.push('', '| Writes attribute | Description |', '|---|---|');
    for (const a of spec.writesAttributes) lines.push(`| ${a.name} | ${cell(a.description)} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function allProcessorDocs(): string {
  return [
    '# Flow processors',
    '',
    'Generated from the processor specs (`src/flow/processors/*.ts`) — do not edit. The test',
    '`src/flow/processor-docs.test.ts` fails when it is stale; regenerate with',
    '`FLOE_UPDATE_DOCS=1 npx vitest run src/flow/processor-docs.test.ts`. The guide is [flow.md](flow.md).',
    '',
    'EL = where Expression Language is evaluated: none, environment (environment variables only) or flowfile',
    '(flowfile attributes, then environment variables).',
    '',
    ...allProcessorSpecs().map(processorDocs),
  ].join('\n');
}

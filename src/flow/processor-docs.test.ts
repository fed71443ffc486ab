import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allProcessorDocs } from './processor-docs.js';
import { allProcessorSpecs } from './processors/registry.js';

const DOC = join(import.meta.dirname, '../../docs/flow-processors.md');

describe('processor reference', () => {
  it('docs/flow-processors.md is generated from the specs', async () => {
    const text = allProcessorDocs();
    if (process.env['FLOE_UPDATE_DOCS']) await writeFile(DOC, text);
    expect(await readFile(DOC, 'utf8')).toBe(text);
  });

  it('every spec is complete: properties described, defaults valid, relationships named', () => {
    for (const spec of allProcessorSpecs()) {
      expect(spec.relationships.length).toBeGreaterThan(0);
      for (const p of spec.properties) {
        expect(p.description.length, `${spec.type}.${p.name}`).toBeGreaterThan(5);
        if (p.default !== undefined && p.allowedValues) expect(p.allowedValues, `${spec.type}.${p.name}`).toContain(p.default);
      }
    }
  });
});

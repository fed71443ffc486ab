import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from './project-config.js';
import { toFlowDefinition } from './flows-config.js';

const base = (processor: string, extra = ''): string => `
flows:
  ingest:
    processors:
      list: { type: ListFile, properties: { Input Directory: in } }
${processor}
    connections:
      - { from: list, relationship: success, to: fetch }
${extra}`;

describe('flows: section', () => {
  it('accepts the issue’s example and fills NiFi defaults', () => {
    const config = parseProjectConfig(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: data/landing, File Filter: '.*\\.csv' } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File } }
      put:   { type: PutFile, properties: { Directory: out }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`);
    const def = toFlowDefinition('ingest', config.flows['ingest']!);
    expect(def.processors[0]).toMatchObject({ id: 'list', schedulingPeriod: '1 min', penaltyDuration: '30 sec', yieldDuration: '1 sec', concurrentTasks: 1 });
    expect(def.processors[1]!.schedulingPeriod).toBe('0 sec');
    expect(def.connections[0]).toMatchObject({ id: 'list.success.fetch', backPressureObjectThreshold: 10000, backPressureDataSizeThreshold: '1 GB' });
  });

  it('names the key, line and column of an unknown processor type', () => {
    expect(() => parseProjectConfig(base('      fetch: { type: FetchFiles }'), 'p/floe.yaml')).toThrow(
      /^p\/floe\.yaml:6:22: flows\.ingest\.processors\.fetch\.type: unknown processor type 'FetchFiles' \(expected one of: ListFile, FetchFile/,
    );
  });

  it('rejects unknown properties and bad values, saying what is expected', () => {
    expect(() => parseProjectConfig(base("      fetch: { type: FetchFile, properties: { Completion Strategy: Remove } }"))).toThrow(
      /flows\.ingest\.processors\.fetch\.properties\.Completion Strategy: 'Remove' is not allowed \(expected one of: None, Move File, Delete File\)/,
    );
    expect(() => parseProjectConfig(base("      fetch: { type: FetchFile, properties: { Completion: x } }"))).toThrow(
      /properties\.Completion: unknown property for FetchFile \(expected one of: File to Fetch, Completion Strategy/,
    );
    expect(() => parseProjectConfig(base("      fetch: { type: FetchFile, penaltyDuration: 'soon' }"))).toThrow(
      /penaltyDuration: 'soon' is not a time period \(expected e\.g\. '30 sec'/,
    );
    expect(() => parseProjectConfig(base("      fetch: { type: FetchFile, properties: { File to Fetch: '${filename' } }"))).toThrow(/invalid expression/);
    expect(() => parseProjectConfig(base("      fetch: { type: FetchFile, schedulingStrategy: CRON_DRIVEN, runSchedule: 'every day' }"))).toThrow(/runSchedule: invalid cron expression/);
    expect(() => parseProjectConfig(base('      fetch: { type: FetchFile, concurrentTasks: 2 }').replace('{ type: ListFile,', '{ type: ListFile, concurrentTasks: 2,'))).toThrow(
      /list\.concurrentTasks: ListFile runs one task at a time/,
    );
  });

  it('rejects connections to unknown processors and relationships', () => {
    expect(() => parseProjectConfig(base('      fetch: { type: FetchFile }', '      - { from: fetch, relationship: sucess, to: nowhere }'))).toThrow(
      /connections\.1\.to: no processor named 'nowhere'|connections\.1\.relationship: FetchFile has no relationship 'sucess'/,
    );
    expect(() => parseProjectConfig(base('      fetch: { type: FetchFile }', '      - { from: fetch, relationship: success, to: list }'))).toThrow(
      /connections\.1\.to: ListFile does not accept incoming connections/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from './project-config.js';

describe('parseProjectConfig', () => {
  it('accepts an empty file and fills defaults', () => {
    expect(parseProjectConfig('').storage.buckets).toEqual({});
  });

  it('reads local and s3 buckets', () => {
    const config = parseProjectConfig(`
storage:
  buckets:
    floe-demo: { type: local, path: data/bucket/floe-demo }
    remote: { type: s3, endpoint: 'http://127.0.0.1:5000', notifications: { sqs: 'http://127.0.0.1:5000/123/q' } }
`);
    expect(config.storage.buckets['floe-demo']).toEqual({ type: 'local', path: 'data/bucket/floe-demo' });
    expect(config.storage.buckets['remote']).toMatchObject({ type: 's3', region: 'us-east-1' });
  });

  it('names the key path, line and column of a bad value', () => {
    expect(() =>
      parseProjectConfig('storage:\n  buckets:\n    floe-demo: { type: local, path: 7 }\n', 'p/floe.yaml'),
    ).toThrow(/^p\/floe\.yaml:3:37: storage\.buckets\.floe-demo\.path: /);
  });

  it('reads task settings and rejects a negative trigger interval', () => {
    expect(parseProjectConfig('tasks: { minimumTriggerIntervalSeconds: 0 }').tasks).toEqual({ minimumTriggerIntervalSeconds: 0 });
    expect(() => parseProjectConfig('tasks:\n  minimumTriggerIntervalSeconds: -1\n')).toThrow(/^floe\.yaml:2:34: tasks\.minimumTriggerIntervalSeconds: /);
  });

  it('reads the warehouse memory limit and rejects a size without a unit', () => {
    expect(parseProjectConfig("warehouse: { memoryLimit: '1GB' }").warehouse).toEqual({ memoryLimit: '1GB' });
    expect(() => parseProjectConfig('warehouse:\n  memoryLimit: 1024\n')).toThrow(/^floe\.yaml:2:16: warehouse\.memoryLimit: /);
    expect(parseProjectConfig("warehouse: { checkpointThreshold: '256MB' }").warehouse).toEqual({ checkpointThreshold: '256MB' });
    expect(() => parseProjectConfig('warehouse:\n  checkpointThreshold: lots\n')).toThrow(/warehouse\.checkpointThreshold: /);
  });

  it('rejects unknown keys inside a bucket', () => {
    expect(() => parseProjectConfig('storage:\n  buckets:\n    b1x: { type: local, path: x, paht: y }\n')).toThrow(
      /storage\.buckets\.b1x: Unrecognized key: "paht"/,
    );
  });

  it('reports YAML syntax errors with a position', () => {
    expect(() => parseProjectConfig('storage: [\n', 'floe.yaml')).toThrow(/^floe\.yaml:\d+:\d+: invalid YAML/);
  });
});

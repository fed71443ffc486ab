import { describe, expect, it } from 'vitest';
import { checkPipeCopy, coversKey, DAY_MS, pipeStatusJson, refreshSince, usageBucketMs } from './pipe-rules.js';

describe('pipe rules', () => {
  it('rejects the copy options pipes forbid (reference §3.1)', () => {
    for (const k of ['FILES', 'SIZE_LIMIT', 'PURGE', 'FORCE', 'RETURN_FAILED_ONLY', 'VALIDATION_MODE']) {
      expect(() => checkPipeCopy({ [k]: 'x' }, undefined, false)).toThrow(new RegExp(`${k} is not supported`));
    }
    expect(() => checkPipeCopy({}, 'abort_statement', false)).toThrow(/ABORT_STATEMENT/);
    expect(() => checkPipeCopy({}, undefined, true)).toThrow(/WHERE/);
    expect(() => checkPipeCopy({ PATTERN: '.*', ON_ERROR: 'CONTINUE' }, 'CONTINUE', false)).not.toThrow();
  });

  it('stage paths are string prefixes', () => {
    expect(coversKey('path', 'path1/a.csv')).toBe(true);
    expect(coversKey('path/', 'path1/a.csv')).toBe(false);
    expect(coversKey('in/', 'in/')).toBe(false);
    expect(coversKey('', 'x.csv')).toBe(true);
  });

  it('REFRESH looks back at most 7 days', () => {
    const now = 100 * DAY_MS;
    expect(refreshSince(now, undefined)).toBe(93 * DAY_MS);
    expect(refreshSince(now, 0)).toBe(93 * DAY_MS);
    expect(refreshSince(now, 99 * DAY_MS)).toBe(99 * DAY_MS);
  });

  it('status JSON: idle pipe is minimal; pending fields only with pending files', () => {
    expect(pipeStatusJson({ executionState: 'RUNNING', pendingFileCount: 0 })).toBe('{"executionState":"RUNNING","pendingFileCount":0}');
    const at = new Date(Date.UTC(2024, 0, 1));
    expect(JSON.parse(pipeStatusJson({ executionState: 'PAUSED', pendingFileCount: 2, oldestPending: { path: 'a.csv', at } }))).toEqual({
      executionState: 'PAUSED',
      oldestPendingFilePath: 'a.csv',
      oldestFileTimestamp: '2024-01-01T00:00:00.000Z',
      pendingFileCount: 2,
    });
  });

  it('PIPE_USAGE_HISTORY buckets', () => {
    expect(usageBucketMs(600_000)).toBe(300_000);
    expect(usageBucketMs(6 * 3_600_000)).toBe(3_600_000);
    expect(usageBucketMs(3 * DAY_MS)).toBe(DAY_MS);
  });
});

import { describe, expect, it } from 'vitest';
import { memoryText } from './process-memory.js';

describe('memoryText', () => {
  const warehouse = { usedBytes: 598.4e6, indexBytes: 127.6e6, limitBytes: 640e6, configuredBytes: 512e6 };

  it('the process, the warehouse against its limit, and the indexes apart', () => {
    expect(memoryText({ rssBytes: 1_464_200_000, warehouse })).toBe('process 1,464 MB · warehouse 598 of 640 MB · indexes 128 MB');
  });

  it('says where the limit comes from on request', () => {
    expect(memoryText({ rssBytes: 1e9, warehouse }, { configured: true })).toBe(
      'process 1,000 MB · warehouse 598 of 640 MB · indexes 128 MB (the limit is memoryLimit 512 MB plus the indexes)',
    );
  });

  it('without a limit or a configured one, or without warehouse figures', () => {
    expect(memoryText({ rssBytes: 2e6, warehouse: { usedBytes: 1e6, indexBytes: 0 } }, { configured: true })).toBe('process 2 MB · warehouse 1 MB · indexes 0 MB');
    expect(memoryText({ rssBytes: 2e6 })).toBe('process 2 MB');
  });
});

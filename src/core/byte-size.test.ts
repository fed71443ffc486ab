import { describe, expect, it } from 'vitest';
import { byteSize, parseSize } from './byte-size.js';

describe('parseSize', () => {
  it('reads sizes as DuckDB does: KB … TB in powers of 1000, KiB … TiB in powers of 1024', () => {
    expect(parseSize('512MB')).toBe(512e6);
    expect(parseSize('1.5 GB')).toBe(1.5e9);
    expect(parseSize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseSize('2gib')).toBe(2 * 2 ** 30);
    expect(() => parseSize('512')).toThrow(/not a size: '512'/);
    expect(byteSize('lots')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { fitLine, slope } from '../../bench/pipeline/bench-util.js';

describe('fitLine', () => {
  it('finds an exact line with no error', () => {
    expect(fitLine([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ slope: 2, slopeError: 0, noise: 0 });
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBe(2);
  });
  it('gives the slope a standard error from the scatter around the line', () => {
    // Residuals +1, -1, -1, +1 around y = 10 + 0.5x: noise sqrt(4 / 2), error noise / sqrt(sum((x - 1.5)^2) = 5).
    const fit = fitLine([0, 1, 2, 3], [11, 9.5, 10, 12.5]);
    expect(fit.slope).toBeCloseTo(0.5, 10);
    expect(fit.noise).toBeCloseTo(Math.SQRT2, 10);
    expect(fit.slopeError).toBeCloseTo(Math.SQRT2 / Math.sqrt(5), 10);
  });
});

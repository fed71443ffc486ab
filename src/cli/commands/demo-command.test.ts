import { describe, expect, it } from 'vitest';
import { parseDuration } from './demo-command.js';

describe('floe demo --duration', () => {
  it('reads seconds by default and ms/s/m/h units', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('250ms')).toBe(250);
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'soon', '-5', '0', '5 days']) expect(() => parseDuration(bad), bad).toThrow(/duration/);
  });
});

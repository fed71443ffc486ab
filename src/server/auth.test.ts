import { describe, expect, it } from 'vitest';
import { authorized, newToken } from './auth.js';

describe('bearer token', () => {
  it('is random and URL-safe', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('accepts exactly `Bearer <token>`', () => {
    const t = newToken();
    expect(authorized(`Bearer ${t}`, t)).toBe(true);
    expect(authorized(`bearer ${t}`, t)).toBe(true);
    expect(authorized(undefined, t)).toBe(false);
    expect(authorized('', t)).toBe(false);
    expect(authorized(t, t)).toBe(false);
    expect(authorized(`Basic ${t}`, t)).toBe(false);
    expect(authorized(`Bearer ${t}x`, t)).toBe(false);
    expect(authorized(`Bearer ${t.slice(1)}`, t)).toBe(false);
    expect(authorized(`Bearer ${t} extra`, t)).toBe(false);
    expect(authorized('Bearer ', '')).toBe(false);
  });
});

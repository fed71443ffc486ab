import { describe, expect, it } from 'vitest';
import { QueryBudget } from './query-budget.js';

describe('QueryBudget', () => {
  it('spaces runs by their cost, never closer than the minimum gap', () => {
    const b = new QueryBudget(500, 0.05);
    expect(b.due(0)).toBe(true);
    b.spent(1000, 10); // cheap: the minimum gap rules
    expect(b.due(1499)).toBe(false);
    expect(b.due(1500)).toBe(true);
    b.spent(2000, 100); // 100 ms at 5 %: 2 s between starts
    expect(b.due(3999)).toBe(false);
    expect(b.due(4000)).toBe(true);
  });
});

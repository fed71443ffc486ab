import { describe, expect, it } from 'vitest';
import { TableGate } from './table-gate.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('TableGate', () => {
  it('closes a table only at a moment nobody holds it, and gives up after the deadline', async () => {
    const gate = new TableGate();
    const a = {};
    await gate.enter(a, 'T');
    await gate.enter(a, 'T');
    expect(gate.holders('T')).toBe(1);
    expect(await gate.tryClose(['T'], 20)).toBe(false);
    const closing = gate.tryClose(['T'], 1000);
    await tick();
    gate.release(a);
    expect(await closing).toBe(true);
    expect(await gate.tryClose(['T'], 0)).toBe(false); // already closed
    gate.open(['T']);
  });

  it('lets sessions in while a closer waits (no cycle with other locks), and holds them while closed', async () => {
    const gate = new TableGate();
    const a = {};
    const b = {};
    await gate.enter(a, 'T');
    const closing = gate.tryClose(['T'], 1000);
    await gate.enter(b, 'T'); // not held back by the waiting closer
    gate.release(a);
    await tick();
    gate.release(b);
    expect(await closing).toBe(true);
    const order: string[] = [];
    const entering = gate.enter(a, 'T').then(() => order.push('entered'));
    await tick();
    expect(order).toEqual([]);
    gate.open(['T']);
    await entering;
    expect(order).toEqual(['entered']);
    expect(gate.holders('T')).toBe(1);
    await gate.enter(b, 'U'); // other tables are independent
    expect(gate.holders('U')).toBe(1);
  });

  it('closes several keys only at a moment none of them is held', async () => {
    const gate = new TableGate();
    const a = {};
    const b = {};
    await gate.enter(a, 'T');
    await gate.enter(b, '*');
    const closing = gate.tryClose(['T', '*'], 1000);
    gate.release(a);
    await tick();
    expect(gate.holders('*')).toBe(1);
    gate.release(b);
    expect(await closing).toBe(true);
    gate.open(['T', '*']);
    expect(await gate.tryClose(['T', '*'], 0)).toBe(true);
  });

  it('counts edits per table', () => {
    const gate = new TableGate();
    expect(gate.editCount('T')).toBe(0);
    gate.noteEdit('T');
    gate.noteEdit('T');
    expect(gate.editCount('T')).toBe(2);
    expect(gate.editCount('U')).toBe(0);
  });
});

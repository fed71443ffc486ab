import { describe, expect, it } from 'vitest';
import type { DemoSnapshot } from './demo-snapshot.js';
import { fmtDuration, fmtInt, fmtMs, historyQuery, renderFrame, renderLine, renderSummary, shellArg } from './demo-view.js';
import { summaryJson } from './demo-screen.js';

const snap = (over: Partial<DemoSnapshot> = {}): DemoSnapshot => ({
  project: 'floe-demo',
  phase: 'running',
  elapsedMs: 83_000,
  generator: { enabled: true, files: 83, intervalMs: 1000, rowsPerFile: 200, events: { I: 2100, U: 12500, D: 800, late: 250 } },
  files: { landing: 1, inFlow: 2, pipePending: 0, loaded: 80, failed: 0 },
  rows: { raw: 16_000, stream: 200, scd1: 1820, scd2: 14_911 },
  tasks: { succeeded: 79, failed: 0 },
  latency: { samples: 80, last: 212, p50: 230, p99: 1410, max: 1520 },
  loadLatency: { samples: 80, last: 90, p50: 120, p99: 300, max: 310 },
  errors: [],
  memory: { rssBytes: 1_464e6, warehouse: { usedBytes: 598e6, indexBytes: 128e6, limitBytes: 640e6, configuredBytes: 512e6 } },
  sampleCustomerId: 17,
  ...over,
});

const plain = { color: false, width: 200 };

describe('formatting', () => {
  it('numbers, durations and latencies', () => {
    expect(fmtInt(1234567)).toBe('1,234,567');
    expect(fmtInt(undefined)).toBe('n/a');
    expect(fmtMs(212.4)).toBe('212 ms');
    expect(fmtMs(1410)).toBe('1.41 s');
    expect(fmtMs(12_340)).toBe('12.3 s');
    expect(fmtMs(1000)).toBe('1 s');
    expect(fmtMs(1500)).toBe('1.5 s');
    expect(fmtMs(61_000)).toBe('1m 01s');
    expect(fmtMs(undefined)).toBe('–');
    expect(fmtDuration(59_999)).toBe('59s');
    expect(fmtDuration(83_000)).toBe('1m 23s');
    expect(fmtDuration(3_725_000)).toBe('1h 02m');
  });

  it('quotes paths for the shell only when needed', () => {
    expect(shellArg('floe-demo')).toBe('floe-demo');
    expect(shellArg('/tmp/a b')).toBe(`'/tmp/a b'`);
    expect(shellArg("it's")).toBe(`'it'\\''s'`);
    expect(historyQuery('my demo', 7)).toBe(`npx floe sql --project 'my demo' -q "select * from scd_demo.scd2.customer_history where customer_id = 7 order by start_time"`);
    expect(historyQuery('d', undefined)).toBe(`npx floe sql --project d -q "select * from scd_demo.scd2.customer_history order by customer_id, start_time limit 20"`);
  });
});

describe('renderFrame', () => {
  it('shows every stage of the pipeline, the latency and the query hint', () => {
    const f = renderFrame(snap(), plain);
    expect(f).toContain('floe demo  floe-demo  ● running  1m 23s   Ctrl-C to stop');
    expect(f).toContain('generated  83 files · 200 events every 1 s\n');
    expect(f).toContain('2,100 inserts · 12,500 updates (250 late) · 800 deletes');
    expect(f).toContain('files      landing 1 → flow 2 → pipe queue 0 → loaded 80 · failed 0');
    expect(f).toContain('rows       CUSTOMER_RAW 16,000 · stream 200 (waiting for the task)');
    expect(f).toContain('CUSTOMER 1,820 · CUSTOMER_HISTORY 14,911');
    expect(f).toContain('APPLY_CUSTOMER_CHANGES: 79 runs succeeded · 0 failed');
    expect(f).toContain('last 212 ms · p50 230 ms · p99 1.41 s · max 1.52 s (80 files)');
    expect(f).toContain('to CUSTOMER_RAW p50 120 ms');
    expect(f).toContain('memory     process 1,464 MB · warehouse 598 of 640 MB · indexes 128 MB');
    expect(f).toContain('errors     none');
    expect(f).toContain('customer_id = 17 order by start_time');
    expect(f).not.toContain('\u001b[');
  });

  it('colours on request, and marks failures and errors', () => {
    const f = renderFrame(snap({ files: { landing: 0, inFlow: 0, loaded: 3, failed: 2 }, tasks: { succeeded: 1, failed: 1 }, errors: [{ at: 0, source: 'task', message: 'boom' }] }), { color: true, width: 200 });
    expect(f).toContain('\u001b[31mfailed 2\u001b[39m');
    expect(f).toContain('\u001b[31m1 failed\u001b[39m');
    expect(f).toContain('\u001b[31mtask: boom\u001b[39m');
    expect(f).toContain('pipe queue n/a');
  });

  it('fits 80 columns with typical figures; cuts long lines, but never the query command', () => {
    for (const line of renderFrame(snap(), { color: false, width: 80 }).split('\n').filter((l) => !l.includes('npx floe sql'))) expect(line.length).toBeLessThan(80);
    const long = 'x'.repeat(300);
    const f = renderFrame(snap({ errors: [{ at: 0, source: 'pipe', message: long }] }), { color: false, width: 60 });
    for (const line of f.split('\n').filter((l) => !l.includes('npx floe sql'))) expect(line.length).toBeLessThanOrEqual(60);
    expect(f).toContain('order by start_time"');
  });

  it('says when nothing was measured yet, when the generator is off, and what Ctrl-C does while stopping', () => {
    const f = renderFrame(snap({ phase: 'stopping', latency: { samples: 0 }, generator: { ...snap().generator, enabled: false } }), plain);
    expect(f).toContain('waiting for the first file');
    expect(f).toContain('off (--no-generate)');
    expect(f).toContain('Ctrl-C again to force');
  });
});

describe('renderLine and the summary', () => {
  it('one progress line for logs', () => {
    expect(renderLine(snap({ generator: { ...snap().generator, target: 100 } }))).toBe(
      '[1m 23s] running · files 83/100 generated, 1 landing, 2 in flow, 0 queued, 80 loaded, 0 failed · rows raw 16000, stream 200, customer 1820, history 14911 · task 79 ok, 0 failed · latency last 212 ms, p50 230 ms, p99 1.41 s',
    );
    expect(renderLine(snap({ latency: { samples: 0 }, rows: { stream: 0 } }))).toContain('rows raw n/a, stream 0, customer n/a, history n/a · task 79 ok, 0 failed · latency n/a');
  });

  it('the summary says what happened and what to do next', () => {
    const s = renderSummary(snap({ phase: 'stopped' }), { outstanding: 3, reason: 'interrupted' }, plain);
    expect(s).toContain('floe demo stopped after 1m 23s.');
    expect(s).toContain('83 generated · 80 loaded · 0 failed · 3 not applied yet (the next start picks them up)');
    expect(s).toContain('p50 230 ms · p99 1.41 s · max 1.52 s over 80 files');
    expect(s).toContain('npx floe sql --project floe-demo -q "select * from scd_demo.scd2.customer_history where customer_id = 17 order by start_time"');
    expect(s).toContain('npx floe verify --project floe-demo');
    expect(s).toContain('npx floe demo floe-demo');
    expect(renderSummary(snap(), { outstanding: 0, reason: 'done' }, plain)).toContain('floe demo finished after');
    expect(renderSummary(snap(), { outstanding: 0, reason: 'done' }, plain)).not.toContain('not applied');
  });

  it('the JSON summary carries the same facts', () => {
    expect(summaryJson(snap(), { outstanding: 0, reason: 'done' })).toMatchObject({
      reason: 'done',
      generated: { files: 83, I: 2100, U: 12500, D: 800, late: 250 },
      files: { loaded: 80, failed: 0, outstanding: 0 },
      rows: { raw: 16_000, customer: 1820, customerHistory: 14_911 },
      latencyMs: { p50: 230 },
      memory: { rssBytes: 1_464e6, warehouse: { indexBytes: 128e6 } },
      sampleCustomerId: 17,
    });
  });
});

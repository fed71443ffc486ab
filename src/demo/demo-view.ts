/**
 * How the demo looks: pure functions from a snapshot to text, so they are unit-tested and the runner only
 * decides where the text goes (a live frame on a terminal, a line every few seconds otherwise).
 */
import type { LatencyStats } from './latency-tracker.js';
import { DEMO_OBJECTS } from './demo-objects.js';
import type { DemoSnapshot } from './demo-snapshot.js';
import { memoryText } from '../runtime/process-memory.js';

export interface ViewStyle {
  color: boolean;
  /** Terminal columns; long lines are cut to fit. */
  width: number;
}

const ansi = (code: string, end: string) => (on: boolean, s: string): string => (on ? `\u001b[${code}m${s}\u001b[${end}m` : s);
const bold = ansi('1', '22');
const dim = ansi('2', '22');
const green = ansi('32', '39');
const red = ansi('31', '39');
const yellow = ansi('33', '39');

export function fmtInt(n: number | undefined): string {
  if (n === undefined) return 'n/a';
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  return fmtDuration(ms);
}

export function fmtDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Quotes a path for a shell command line when it needs it. */
export function shellArg(s: string): string {
  return /^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

type Paint = (on: boolean, s: string) => string;
const none: Paint = (_on, s) => s;

/**
 * Joins coloured segments into one line of at most `width` visible characters (cut with `…`); colours are
 * applied after cutting, so escape codes are never split.
 */
export function fit(parts: ReadonlyArray<readonly [string, Paint?]>, width: number, color: boolean): string {
  let room = width;
  let out = '';
  for (const [text, paint = none] of parts) {
    if (room <= 0) break;
    if (text.length <= room) {
      out += paint(color, text);
      room -= text.length;
    } else {
      out += paint(color, `${text.slice(0, Math.max(0, room - 1))}…`);
      room = 0;
    }
  }
  return out;
}

function latencyText(l: LatencyStats): string {
  if (l.samples === 0) return 'waiting for the first file';
  return `last ${fmtMs(l.last)} · p50 ${fmtMs(l.p50)} · p99 ${fmtMs(l.p99)} · max ${fmtMs(l.max)}`;
}

const PHASE_TEXT: Record<DemoSnapshot['phase'], string> = {
  starting: 'starting',
  running: 'running',
  draining: 'applying the last files',
  stopping: 'stopping',
  stopped: 'stopped',
};

/** The versions of a customer that has several (until one exists: the first rows of the history). */
export function historyQuery(project: string, customerId: number | undefined): string {
  const where = customerId !== undefined ? `where customer_id = ${customerId} order by start_time` : 'order by customer_id, start_time limit 20';
  return `npx floe sql --project ${shellArg(project)} -q "select * from scd_demo.scd2.customer_history ${where}"`;
}

/** The live frame for a terminal (re-drawn about four times a second). */
export function renderFrame(s: DemoSnapshot, style: ViewStyle): string {
  const c = style.color;
  const line = (...parts: ReadonlyArray<readonly [string, Paint?]>): string => fit(parts, style.width, c);
  const row = (label: string, ...parts: ReadonlyArray<readonly [string, Paint?]>): string => line([`  ${label.padEnd(10)} `, bold], ...parts);
  const g = s.generator;
  const phasePaint = s.phase === 'running' ? green : yellow;
  const keys = s.phase === 'stopping' ? '   Ctrl-C again to force' : s.phase === 'stopped' ? '' : '   Ctrl-C to stop';
  const out: string[] = [];
  out.push(line(['floe demo', bold], [`  ${s.project}  `], [`● ${PHASE_TEXT[s.phase]}`, phasePaint], [`  ${fmtDuration(s.elapsedMs)}`], [keys, dim]));
  out.push('');
  // Laid out for 80 columns: the numbers that change stay left, where a narrow terminal still shows them.
  if (g.enabled) {
    out.push(row('generated', [`${fmtInt(g.files)}${g.target !== undefined ? `/${fmtInt(g.target)}` : ''} files · ${fmtInt(g.rowsPerFile)} events every ${fmtMs(g.intervalMs)}`]));
    out.push(row('', [`${fmtInt(g.events.I)} inserts · ${fmtInt(g.events.U)} updates (${fmtInt(g.events.late)} late) · ${fmtInt(g.events.D)} deletes`]));
  } else out.push(row('generated', ['off (--no-generate): drop CSV files into data/landing/']));
  const f = s.files;
  out.push(row('files', [`landing ${fmtInt(f.landing)} → flow ${fmtInt(f.inFlow)} → pipe queue ${fmtInt(f.pipePending)} → loaded ${fmtInt(f.loaded)} · `], [`failed ${fmtInt(f.failed)}`, f.failed > 0 ? red : none]));
  const r = s.rows;
  out.push(row('rows', [`${DEMO_OBJECTS.raw} ${fmtInt(r.raw)} · stream ${fmtInt(r.stream)} (waiting for the task)`]));
  out.push(row('', [`${DEMO_OBJECTS.scd1} ${fmtInt(r.scd1)} · ${DEMO_OBJECTS.scd2} ${fmtInt(r.scd2)}`]));
  out.push(row('task', [`${DEMO_OBJECTS.task}: ${fmtInt(s.tasks.succeeded)} runs succeeded · `], [`${fmtInt(s.tasks.failed)} failed`, s.tasks.failed > 0 ? red : none]));
  out.push(row('latency', [`${latencyText(s.latency)} (${fmtInt(s.latency.samples)} files)`]));
  out.push(row('', [`landing → both SCD tables; to ${DEMO_OBJECTS.raw} p50 ${fmtMs(s.loadLatency.p50)}`, dim]));
  if (s.memory) out.push(row('memory', [memoryText(s.memory)]));
  if (s.errors.length === 0) out.push(row('errors', ['none']));
  else s.errors.forEach((e, i) => out.push(row(i === 0 ? 'errors' : '', [`${e.source}: ${e.message}`, red])));
  out.push('');
  // Never cut: a cut command cannot be copied (the terminal wraps it instead).
  out.push(`  ${dim(c, 'Query it:')} ${historyQuery(s.project, s.sampleCustomerId)}`);
  return out.join('\n');
}

/** One progress line for logs and pipes (no terminal). */
export function renderLine(s: DemoSnapshot): string {
  const f = s.files;
  const r = s.rows;
  const l = s.latency;
  const gen = s.generator.enabled ? `${s.generator.files}${s.generator.target !== undefined ? `/${s.generator.target}` : ''} generated, ` : '';
  return (
    `[${fmtDuration(s.elapsedMs)}] ${PHASE_TEXT[s.phase]} · files ${gen}${f.landing} landing, ${f.inFlow} in flow, ${f.pipePending ?? 'n/a'} queued, ${f.loaded} loaded, ${f.failed} failed` +
    ` · rows raw ${r.raw ?? 'n/a'}, stream ${r.stream}, customer ${r.scd1 ?? 'n/a'}, history ${r.scd2 ?? 'n/a'}` +
    ` · task ${s.tasks.succeeded} ok, ${s.tasks.failed} failed` +
    ` · latency ${l.samples === 0 ? 'n/a' : `last ${fmtMs(l.last)}, p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}`}`
  );
}

export interface SummaryFacts {
  /** Generated files not yet visible in the SCD tables (in landing, in flight, or loaded but not applied). */
  outstanding: number;
  /** Why the demo ended: Ctrl-C, --files/--duration reached, or gave up waiting. */
  reason: 'interrupted' | 'done' | 'timeout';
}

/** Printed when the demo ends: what happened and what to do next. */
export function renderSummary(s: DemoSnapshot, facts: SummaryFacts, style: ViewStyle): string {
  const c = style.color;
  const p = shellArg(s.project);
  const how = facts.reason === 'interrupted' ? 'stopped' : facts.reason === 'done' ? 'finished' : 'gave up waiting';
  const out: string[] = [];
  out.push(`${bold(c, 'floe demo')} ${how} after ${fmtDuration(s.elapsedMs)}.`);
  const g = s.generator;
  const waiting = facts.outstanding > 0 ? ` · ${fmtInt(facts.outstanding)} not applied yet (the next start picks them up)` : '';
  out.push(`  files     ${fmtInt(g.files)} generated · ${fmtInt(s.files.loaded)} loaded · ${fmtInt(s.files.failed)} failed${waiting}`);
  out.push(`  rows      ${DEMO_OBJECTS.raw} ${fmtInt(s.rows.raw)} · ${DEMO_OBJECTS.scd1} ${fmtInt(s.rows.scd1)} · ${DEMO_OBJECTS.scd2} ${fmtInt(s.rows.scd2)}`);
  out.push(`  task      ${fmtInt(s.tasks.succeeded)} runs succeeded · ${fmtInt(s.tasks.failed)} failed`);
  if (s.latency.samples > 0) {
    out.push(`  latency   p50 ${fmtMs(s.latency.p50)} · p99 ${fmtMs(s.latency.p99)} · max ${fmtMs(s.latency.max)} over ${fmtInt(s.latency.samples)} files (rename in data/landing → visible in ${DEMO_OBJECTS.scd1} and ${DEMO_OBJECTS.scd2})`);
  }
  for (const e of s.errors) out.push(red(c, `  error     ${e.source}: ${e.message}`));
  out.push('');
  out.push(bold(c, 'What next:'));
  out.push(`  ${historyQuery(s.project, s.sampleCustomerId)}`);
  out.push(`  npx floe sql --project ${p}          ${dim(c, '# interactive SQL shell on the warehouse')}`);
  out.push(`  npx floe verify --project ${p}       ${dim(c, '# recompute both SCD tables from every loaded file and compare')}`);
  out.push(`  npx floe demo ${p}                   ${dim(c, '# resume: new files continue after these (no file name or id reused)')}`);
  return out.join('\n');
}

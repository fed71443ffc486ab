/** Renders a verify report as readable text (the `--json` form is the report object itself). */
import type { Canon } from './canonical.js';
import type { KeyDiff, TableDiff } from './fold-compare.js';
import type { VerifyReport } from './verify.js';

const show = (v: Canon): string => (v === null ? 'NULL' : v);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function keyText(columns: string[], key: Canon[]): string {
  return key.map((v, i) => `${columns[i]}=${show(v)}`).join(', ');
}

function rowText(columns: string[], row: Canon[], keyWidth: number): string {
  return row
    .slice(keyWidth)
    .map((v, i) => `${columns[i + keyWidth]}=${show(v)}`)
    .join(', ');
}

function tableText(t: TableDiff, keyWidth: number): string[] {
  const label = `${t.kind.toUpperCase()} ${t.table}`;
  if (t.missing === 0 && t.unexpected === 0) return [`${label}: ${plural(t.expected, 'row')}, equal to the reference fold`];
  const out = [`${label}: ${t.expected} rows expected, ${t.found} found: ${t.missing} missing, ${t.unexpected} unexpected`];
  for (const d of t.samples) out.push(...keyDiffText(t.columns, d, keyWidth));
  const shown = t.samples.reduce((a, d) => a + d.missing.length + d.unexpected.length, 0);
  if (shown < t.missing + t.unexpected) out.push(`  … ${t.missing + t.unexpected - shown} more differing rows (--limit N shows more keys)`);
  return out;
}

function keyDiffText(columns: string[], d: KeyDiff, keyWidth: number): string[] {
  const out = [`  ${keyText(columns, d.key)}`];
  for (const r of d.missing) out.push(`    - expected, missing:  ${rowText(columns, r, keyWidth)}`);
  for (const r of d.unexpected) out.push(`    + found, unexpected: ${rowText(columns, r, keyWidth)}`);
  return out;
}

export function reportText(r: VerifyReport, limit: number): string {
  const keyColumns = r.source.keys;
  const out: string[] = [];
  out.push(`floe verify ${r.project} (${r.warehouse})`);
  out.push(`source ${r.source.name} (${r.source.kind}) on ${r.source.table}, loaded by ${r.source.pipes.join(', ')}`);
  for (const p of r.files.pipes) out.push(`  pipe ${p.pipe}: ${p.location} holds ${plural(p.inBucket, 'file')}; ${p.loaded} loaded, ${p.failed} failed`);
  out.push(`files re-read from the bucket: ${r.files.files} (${plural(r.files.rows, 'row')})`);
  if (r.files.failed.length > 0) {
    out.push(`files the pipes skipped as failed (not differences: ON_ERROR = SKIP_FILE loads none of a bad file's rows, so they are no events):`);
    for (const f of r.files.failed.slice(0, limit)) out.push(`  ${f.file} (${f.pipe}): ${f.error ?? 'no error text'}`);
    if (r.files.failed.length > limit) out.push(`  … ${r.files.failed.length - limit} more`);
  }
  if (r.files.issues.length > 0) {
    out.push(`file differences: ${r.files.issues.length}`);
    for (const f of r.files.issues.slice(0, limit)) out.push(`  ${f.kind}: ${f.file}${f.pipe ? ` (${f.pipe})` : ''}: ${f.detail}`);
    if (r.files.issues.length > limit) out.push(`  … ${r.files.issues.length - limit} more`);
  }
  const e = r.events;
  out.push(`events: ${e.total} over ${plural(e.keys, 'key')}`);
  if (e.rejected.nullKey + e.rejected.nullSequence > 0) {
    out.push(`  rejected: ${e.rejected.nullKey} with a NULL key, ${e.rejected.nullSequence} with a NULL sequence (the applier rejects a batch holding one), e.g.`);
    for (const s of e.rejected.samples) out.push(`    ${s.map(show).join(', ')}`);
  }
  if (e.conflictCount > 0) {
    out.push(`  conflicts: ${e.conflictCount} keys have two different upserts at one sequence (the applier rejects such a batch), e.g.`);
    for (const x of e.conflicts) out.push(`    ${keyText(keyColumns, x.key)} at ${x.sequence.map(show).join(', ')}`);
  }
  for (const t of r.tables) out.push(...tableText(t, keyColumns.length));
  for (const n of r.notes) out.push(`note: ${n}`);
  out.push(r.ok ? 'OK: the SCD tables equal the reference fold of every loaded event' : `DIFFERENT: ${plural(r.differences, 'difference')}`);
  return out.join('\n') + '\n';
}

/** JSON text of the report (bigints never occur: canonical values are text). */
export const reportJson = (r: VerifyReport): string => `${JSON.stringify(r)}\n`;

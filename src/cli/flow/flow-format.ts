/** Text rendering of flow status and provenance for the CLI. */
import type { FlowStatus } from '../../flow/flow-status.js';
import type { ProvenanceEvent } from '../../flow/provenance.js';

export function summaryLine(s: FlowStatus): string {
  const inCount = s.processors.reduce((n, p) => n + p.fiveMinutes.inCount, 0);
  const errors = s.bulletins.filter((b) => b.level === 'ERROR').length;
  return `${s.flow}: ${s.flowFilesQueued} queued (${formatBytes(s.bytesQueued)}), ${inCount} processed in 5 min${errors ? `, ${errors} error bulletin(s)` : ''}`;
}

export function statusText(s: FlowStatus & { runningPid?: number }): string {
  const lines = [`flow ${s.flow}${s.runningPid ? ` (running in process ${s.runningPid})` : ''}`, '', 'processors:'];
  for (const p of s.processors) {
    const f = p.fiveMinutes;
    lines.push(`  ${p.id.padEnd(16)} ${p.type.padEnd(18)} ${p.runStatus.padEnd(8)} in ${f.inCount} (${formatBytes(f.inBytes)})  read/write ${formatBytes(f.readBytes)}/${formatBytes(f.writtenBytes)}  out ${f.outCount}  tasks ${f.tasks}`);
    for (const v of p.validationErrors) lines.push(`    invalid: ${v}`);
  }
  lines.push('', 'connections:');
  for (const c of s.connections) {
    const pct = Math.max(c.percentUseCount, c.percentUseBytes);
    lines.push(`  ${c.id.padEnd(36)} queued ${c.queuedCount} (${formatBytes(c.queuedBytes)})  ${pct}% of back pressure${c.backPressured ? '  BACK PRESSURE' : ''}`);
  }
  if (s.bulletins.length > 0) {
    lines.push('', 'bulletins (last 5 min):');
    for (const b of s.bulletins) lines.push(`  ${new Date(b.time).toISOString()} ${b.level} ${b.componentId}: ${b.message}`);
  }
  return lines.join('\n');
}

export function eventLine(e: ProvenanceEvent): string {
  const extra = [e.transitUri, e.relationship && `→ ${e.relationship}`, e.details, e.durationMillis !== undefined ? `${e.durationMillis} ms` : undefined]
    .filter(Boolean)
    .join('  ');
  return `${String(e.eventId).padStart(6)} ${new Date(e.eventTime).toISOString()} ${e.eventType.padEnd(8)} ${e.componentId.padEnd(12)} ${e.flowFileUuid} ${e.attributes['filename'] ?? ''} ${extra}`.trimEnd();
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

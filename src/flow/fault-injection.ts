/**
 * Crash points for the kill -9 tests: when FLOE_FLOW_CRASH_AT names a point, the process SIGKILLs itself
 * there (after FLOE_FLOW_CRASH_AFTER passes, default 1). Outside those tests the variable is unset and this
 * is a no-op.
 */
let passes = 0;

export function crashPoint(name: string): void {
  if (process.env['FLOE_FLOW_CRASH_AT'] !== name) return;
  passes++;
  if (passes >= Number(process.env['FLOE_FLOW_CRASH_AFTER'] ?? '1')) process.kill(process.pid, 'SIGKILL');
}

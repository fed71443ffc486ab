/**
 * Runs a JavaScript procedure body in a worker thread (heap limit) inside a vm context that holds only the
 * `snowflake` object. SQL calls are synchronous for the procedure: the worker posts the request and blocks
 * on Atomics.wait; this thread runs the statement on the caller's session, posts the answer and wakes it.
 * The time limit counts JavaScript time only (not the SQL the procedure runs) and ends the worker.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ExecRequest, ExecResponse, WireColumn, WireValue } from './js-wire.js';
import { FACADE_FILENAME, FACADE_SOURCE, HARDEN_SOURCE, SANDBOX_FILENAME, WORKER_SOURCE } from './sandbox-sources.js';

export interface SandboxLimits {
  /** JavaScript run time per call, SQL time excluded (default 60 s). */
  timeLimitMs: number;
  /** Heap of the worker (default 256 MB). */
  memoryLimitMb: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { timeLimitMs: 60_000, memoryLimitMb: 256 };

export interface JsErrorInfo {
  name: string;
  message: string;
  stack: string;
  /** Thrown by snowflake.execute / Statement.execute for a failed SQL statement. */
  sql: boolean;
}

export type JsOutcome =
  | { ok: true; value: WireValue }
  | { ok: false; kind: 'compile' | 'runtime'; error: JsErrorInfo }
  | { ok: false; kind: 'timeout' | 'memory' | 'crash'; message: string };

export interface JsCall {
  argNames: string[];
  body: string;
  args: { columns: WireColumn[]; values: (null | boolean | number | string)[] };
  limits: SandboxLimits;
  exec(req: ExecRequest): Promise<ExecResponse>;
  /** Aborting terminates the worker (the calling statement was cancelled). */
  signal?: AbortSignal;
}

/** The body wrapped as a function of its (upper-cased) arguments; line 1 of the body stays line 1. */
const procSource = (argNames: string[], body: string): string => `(function (${argNames.join(', ')}) {\n${body}\n})`;

export async function runJavaScript(call: JsCall): Promise<JsOutcome> {
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      port: port2,
      signal,
      procSource: procSource(call.argNames, call.body),
      argsJson: JSON.stringify(call.args),
      harden: HARDEN_SOURCE,
      facade: FACADE_SOURCE,
      facadeFile: FACADE_FILENAME,
      file: SANDBOX_FILENAME,
    },
    transferList: [port2],
    execArgv: [],
    env: {},
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: call.limits.memoryLimitMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  });
  return new Promise<JsOutcome>((resolve) => {
    let settled = false;
    let remaining = call.limits.timeLimitMs;
    let started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const finish = (o: JsOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      port1.close();
      void worker.terminate();
      resolve(o);
    };
    const arm = (): void => {
      started = Date.now();
      timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `exceeded the time limit of ${call.limits.timeLimitMs} ms` }), Math.max(remaining, 0));
    };
    arm();
    call.signal?.addEventListener('abort', () => finish({ ok: false, kind: 'timeout', message: 'was cancelled' }), { once: true });
    port1.on('message', (req: string) => {
      clearTimeout(timer);
      remaining -= Date.now() - started;
      const answer = (res: ExecResponse): void => {
        if (settled) return;
        port1.postMessage(JSON.stringify(res));
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
        arm();
      };
      let parsed: ExecRequest;
      try {
        parsed = JSON.parse(req) as ExecRequest;
      } catch {
        answer({ ok: false, error: { message: 'invalid request', code: '', state: '' } });
        return;
      }
      call.exec(parsed).then(answer, (e: unknown) => answer({ ok: false, error: { message: e instanceof Error ? e.message : String(e), code: '', state: '' } }));
    });
    worker.on('message', (m: string) => {
      const r = JSON.parse(m) as { ok: true; value: WireValue } | { ok: false; compile?: boolean; error: JsErrorInfo };
      finish(r.ok ? r : { ok: false, kind: r.compile ? 'compile' : 'runtime', error: r.error });
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') finish({ ok: false, kind: 'memory', message: `exceeded the memory limit of ${call.limits.memoryLimitMb} MB` });
      else finish({ ok: false, kind: 'crash', message: e.message });
    });
    worker.on('exit', (code) => finish({ ok: false, kind: 'crash', message: `the JavaScript worker exited (code ${code})` }));
  });
}

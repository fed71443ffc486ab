/**
 * Runs one script through a session and hands each outcome to a formatter as soon as it arrives. Shared by
 * the batch mode (-q/-f/stdin) and the interactive shell.
 */
import type { Session, StatementOutcome } from '../../engine/engine-api.js';
import type { Formatter } from '../format/formatters.js';

export interface ExecuteOptions {
  file?: string;
  continueOnError: boolean;
  firstStatement: number;
}

export interface ExecuteSummary {
  /** Number for the next statement, so numbering continues across inputs. */
  nextStatement: number;
  failures: number;
  /** True when a failure ended the script early (no --continue-on-error). */
  stopped: boolean;
}

export async function executeScript(
  session: Session,
  script: string,
  formatter: Formatter,
  options: ExecuteOptions,
): Promise<ExecuteSummary> {
  const summary: ExecuteSummary = { nextStatement: options.firstStatement, failures: 0, stopped: false };
  const outcomes = session.run(script, {
    file: options.file,
    continueOnError: options.continueOnError,
    firstStatement: options.firstStatement,
  });
  for (;;) {
    const started = performance.now();
    let next: IteratorResult<StatementOutcome, unknown>;
    try {
      next = await outcomes.next();
    } catch (error) {
      // The engine should yield failures, not throw; if it throws, the rest of the script cannot be trusted.
      formatter.failure({ statement: summary.nextStatement, sql: '', error, file: options.file });
      return { ...summary, failures: summary.failures + 1, stopped: true };
    }
    if (next.done === true) return summary;
    const outcome = next.value;
    if (outcome.ok) {
      formatter.result(outcome.result, performance.now() - started);
      summary.nextStatement = Math.max(summary.nextStatement, outcome.result.statement + 1);
    } else {
      formatter.failure({ statement: outcome.statement, sql: outcome.sql, error: outcome.error, file: options.file });
      summary.nextStatement = Math.max(summary.nextStatement, outcome.statement + 1);
      summary.failures++;
      if (!options.continueOnError) {
        // Let the engine release what it holds for the statements it will not run.
        await outcomes.return(undefined).catch(() => undefined);
        return { ...summary, stopped: true };
      }
    }
  }
}

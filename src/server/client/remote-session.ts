/**
 * A Session whose statements run in the live `floe run` (`POST /v1/sql` with a server-side session), so
 * `floe sql`'s batch mode and shell use it exactly like a local session: same outcomes, same formatters.
 */
import { FloeError } from '../../core/errors.js';
import type { StatementResult } from '../../core/result.js';
import type { RunOptions, Session, StatementOutcome } from '../../engine/engine-api.js';
import { decodeTypedLine } from '../sql-wire.js';
import { responseLines, type ApiClient } from './api-client.js';

export class RemoteSession implements Session {
  private constructor(
    private readonly client: ApiClient,
    readonly id: string,
  ) {}

  static async open(client: ApiClient): Promise<RemoteSession> {
    const { session } = await client.json<{ session: string }>('POST', '/v1/sessions');
    return new RemoteSession(client, session);
  }

  async *run(script: string, options: RunOptions = {}): AsyncGenerator<StatementOutcome> {
    const abort = new AbortController();
    const res = await this.client.request(
      'POST',
      '/v1/sql',
      { sql: script, file: options.file, format: 'typed', continueOnError: options.continueOnError ?? false, firstStatement: options.firstStatement ?? 1, session: this.id },
      abort.signal,
    );
    try {
      for await (const line of responseLines(res)) {
        const { outcome, fatal } = decodeTypedLine(line);
        // The engine threw (rather than yielding a failure): surface it as a throw, as a local session would.
        if (fatal && !outcome.ok) throw outcome.error;
        yield outcome;
      }
    } catch (error) {
      if (error instanceof FloeError) throw error;
      throw new FloeError('INTERNAL', `lost the connection to floe run (pid ${this.client.info.pid}): ${(error as Error).message}`, { cause: error });
    } finally {
      abort.abort();
    }
  }

  async query(script: string): Promise<StatementResult[]> {
    const results: StatementResult[] = [];
    for await (const outcome of this.run(script)) {
      if (!outcome.ok) throw outcome.error;
      results.push(outcome.result);
    }
    return results;
  }

  async close(): Promise<void> {
    await this.client.request('DELETE', `/v1/sessions/${encodeURIComponent(this.id)}`);
  }
}

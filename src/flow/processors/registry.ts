/** Every processor type floe knows, by NiFi type name. */
import type { ProcessorSpec } from '../processor-api.js';
import { compressContentSpec } from './compress-content.js';
import { fetchFileSpec } from './fetch-file.js';
import { listFileSpec } from './list-file.js';
import { logAttributeSpec } from './log-attribute.js';
import { putFileSpec } from './put-file.js';
import { routeOnAttributeSpec } from './route-on-attribute.js';
import { updateAttributeSpec } from './update-attribute.js';
import { putS3ObjectSpec } from './put-s3-object.js';
import { listS3Spec } from './list-s3.js';
import { fetchS3ObjectSpec } from './fetch-s3-object.js';

const SPECS: readonly ProcessorSpec[] = [
  listFileSpec,
  fetchFileSpec,
  putS3ObjectSpec,
  listS3Spec,
  fetchS3ObjectSpec,
  putFileSpec,
  updateAttributeSpec,
  routeOnAttributeSpec,
  compressContentSpec,
  logAttributeSpec,
];

const BY_TYPE = new Map(SPECS.map((s) => [s.type, s]));

/** Accepts NiFi's fully qualified names too (org.apache.nifi.processors.standard.ListFile). */
export function processorSpec(type: string): ProcessorSpec | undefined {
  return BY_TYPE.get(type) ?? BY_TYPE.get(type.slice(type.lastIndexOf('.') + 1));
}

export const knownProcessorTypes = (): string[] => SPECS.map((s) => s.type);
export const allProcessorSpecs = (): readonly ProcessorSpec[] => SPECS;

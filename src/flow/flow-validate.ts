/**
 * Flow validation driven by the processor specs. Two kinds of findings, as in NiFi:
 * - errors: the definition is malformed (unknown type/property/relationship, a value that does not parse) —
 *   floe.yaml does not load;
 * - invalid processors: well-formed but not runnable (a relationship neither connected nor auto-terminated, a
 *   required property missing, no incoming connection for a processor that needs input). The flow loads,
 *   those processors show as Invalid and do not run.
 * Each finding carries the key path (relative to the flow) so messages can point at floe.yaml lines.
 */
import { nifiCron } from './cron-schedule.js';
import { compileEl } from './el/expression.js';
import type { FlowDefinition, ProcessorDefinition } from './flow-definition.js';
import type { ProcessorSpec, PropertySpec } from './processor-api.js';
import { parseDataSize, parseTimePeriod } from './units.js';

export interface FlowIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export interface FlowValidation {
  readonly errors: FlowIssue[];
  readonly invalid: Map<string, FlowIssue[]>;
}

export type SpecLookup = (type: string) => ProcessorSpec | undefined;

export function validateFlow(def: FlowDefinition, specs: SpecLookup, knownTypes: readonly string[]): FlowValidation {
  const errors: FlowIssue[] = [];
  const invalid = new Map<string, FlowIssue[]>();
  const byId = new Map(def.processors.map((p) => [p.id, p]));

  for (const p of def.processors) {
    const at = (...rest: Array<string | number>): Array<string | number> => ['processors', p.id, ...rest];
    const spec = specs(p.type);
    if (!spec) {
      errors.push({ path: at('type'), message: `unknown processor type '${p.type}' (expected one of: ${knownTypes.join(', ')})` });
      continue;
    }
    errors.push(...checkSettings(p, spec, at));
    for (const [name, value] of Object.entries(p.properties)) {
      const prop = spec.properties.find((s) => s.name === name);
      if (!prop) {
        if (!spec.dynamicProperties) {
          errors.push({ path: at('properties', name), message: `unknown property for ${spec.type} (expected one of: ${spec.properties.map((s) => s.name).join(', ')})` });
        } else {
          errors.push(...checkExpression(value, 'flowfile', at('properties', name)));
        }
        continue;
      }
      errors.push(...checkProperty(prop, value, at('properties', name)));
    }
    const notRunnable: FlowIssue[] = [];
    const resolved = resolveProperties(p, spec);
    for (const prop of spec.properties) {
      if (!prop.required || !relevant(prop, resolved)) continue;
      if (resolved[prop.name] === undefined || resolved[prop.name] === '') {
        notRunnable.push({ path: at('properties', prop.name), message: `'${prop.name}' is required` });
      }
    }
    if (spec.validate && errors.length === 0) {
      for (const message of spec.validate(resolved)) notRunnable.push({ path: at('properties'), message });
    }
    const relNames = relationshipNames(p, spec);
    for (const [key, list] of [['autoTerminate', p.autoTerminatedRelationships], ['retry', p.retriedRelationships]] as const) {
      list.forEach((rel, i) => {
        if (!relNames.includes(rel)) errors.push({ path: at(key, i), message: `${spec.type} has no relationship '${rel}' (it has: ${relNames.join(', ')})` });
      });
    }
    for (const rel of relNames) {
      const connected = def.connections.some((c) => c.source === p.id && c.relationships.includes(rel));
      if (!connected && !p.autoTerminatedRelationships.includes(rel)) {
        notRunnable.push({ path: at(), message: `relationship '${rel}' is neither connected to a processor nor auto-terminated` });
      }
    }
    const incoming = def.connections.filter((c) => c.destination === p.id);
    if (spec.input === 'required' && incoming.length === 0) notRunnable.push({ path: at(), message: `${spec.type} needs an incoming connection` });
    if (notRunnable.length > 0) invalid.set(p.id, notRunnable);
  }

  def.connections.forEach((c, i) => {
    const at = (...rest: Array<string | number>): Array<string | number> => ['connections', i, ...rest];
    const source = byId.get(c.source);
    const destination = byId.get(c.destination);
    if (!source) errors.push({ path: at('from'), message: `no processor named '${c.source}' in this flow` });
    if (!destination) errors.push({ path: at('to'), message: `no processor named '${c.destination}' in this flow` });
    const sourceSpec = source && specs(source.type);
    if (sourceSpec) {
      const names = relationshipNames(source, sourceSpec);
      for (const rel of c.relationships) {
        if (!names.includes(rel)) {
          errors.push({ path: at('relationship'), message: `${sourceSpec.type} has no relationship '${rel}' (it has: ${names.join(', ')})` });
        }
      }
    }
    const destSpec = destination && specs(destination.type);
    if (destSpec?.input === 'forbidden') errors.push({ path: at('to'), message: `${destSpec.type} does not accept incoming connections` });
    errors.push(...tryParse(() => parseDataSize(c.backPressureDataSizeThreshold), at('backPressureDataSizeThreshold')));
    errors.push(...tryParse(() => parseTimePeriod(c.flowFileExpiration), at('flowFileExpiration')));
  });
  return { errors, invalid };
}

/** The processor's relationships (static, or computed from its configuration). */
export function relationshipNames(p: ProcessorDefinition, spec: ProcessorSpec): string[] {
  if (!spec.relationshipsFor) return spec.relationships.map((r) => r.name);
  const dynamic = Object.keys(p.properties).filter((k) => !spec.properties.some((s) => s.name === k));
  return spec.relationshipsFor(resolveProperties(p, spec), dynamic).map((r) => r.name);
}

/** Configured values with defaults applied (before Expression Language). */
export function resolveProperties(p: ProcessorDefinition, spec: ProcessorSpec): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const prop of spec.properties) out[prop.name] = p.properties[prop.name] ?? prop.default;
  for (const [k, v] of Object.entries(p.properties)) if (!(k in out)) out[k] = v;
  return out;
}

function relevant(prop: PropertySpec, resolved: Record<string, string | undefined>): boolean {
  return !prop.dependsOn || prop.dependsOn.values.includes(resolved[prop.dependsOn.property] ?? '');
}

function checkSettings(p: ProcessorDefinition, spec: ProcessorSpec, at: (...r: Array<string | number>) => Array<string | number>): FlowIssue[] {
  const issues: FlowIssue[] = [];
  if (p.schedulingStrategy === 'CRON_DRIVEN') {
    try {
      nifiCron(p.schedulingPeriod);
    } catch (error) {
      issues.push({ path: at('schedulingPeriod'), message: `invalid cron expression: ${(error as Error).message}` });
    }
  } else {
    issues.push(...tryParse(() => parseTimePeriod(p.schedulingPeriod), at('schedulingPeriod')));
  }
  if (spec.triggerSerially && p.concurrentTasks > 1) {
    issues.push({ path: at('concurrentTasks'), message: `${spec.type} runs one task at a time (it is triggered serially)` });
  }
  issues.push(...tryParse(() => parseTimePeriod(p.penaltyDuration), at('penaltyDuration')));
  issues.push(...tryParse(() => parseTimePeriod(p.yieldDuration), at('yieldDuration')));
  issues.push(...tryParse(() => parseTimePeriod(p.maxBackoffPeriod), at('retry', 'maxBackoff')));
  return issues;
}

function checkProperty(prop: PropertySpec, value: string, path: Array<string | number>): FlowIssue[] {
  const scope = prop.expressionScope ?? 'none';
  const issues = checkExpression(value, scope, path);
  if (issues.length > 0) return issues;
  const isEl = scope !== 'none' && compileEl(value).isExpression;
  if (prop.allowedValues && !isEl && !prop.allowedValues.includes(value)) {
    return [{ path, message: `'${value}' is not allowed (expected one of: ${prop.allowedValues.join(', ')})` }];
  }
  if (isEl) return [];
  switch (prop.kind) {
    case 'boolean':
      if (value !== 'true' && value !== 'false') return [{ path, message: `expected true or false, got '${value}'` }];
      break;
    case 'integer':
      if (!/^-?\d+$/.test(value)) return [{ path, message: `expected an integer, got '${value}'` }];
      break;
    case 'non-empty':
      if (value.trim() === '') return [{ path, message: 'must not be empty' }];
      break;
    case 'time-period':
    case 'data-size':
    case 'regex': {
      const parse = prop.kind === 'time-period' ? parseTimePeriod : prop.kind === 'data-size' ? parseDataSize : (v: string) => new RegExp(v);
      const issues = tryParse(() => parse(value), path, prop.kind === 'regex' ? 'invalid regular expression: ' : '');
      if (issues.length > 0) return issues;
      break;
    }
    default:
      break;
  }
  const message = prop.check?.(value);
  return message ? [{ path, message }] : [];
}

function checkExpression(value: string, scope: string, path: Array<string | number>): FlowIssue[] {
  if (scope === 'none') return [];
  try {
    const template = compileEl(value);
    if (scope === 'environment' && template.attributeNames.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) {
      return [{ path, message: 'this property evaluates Expression Language against environment variables only (no flowfile attributes)' }];
    }
    return [];
  } catch (error) {
    return [{ path, message: (error as Error).message }];
  }
}

function tryParse(fn: () => unknown, path: Array<string | number>, prefix = ''): FlowIssue[] {
  try {
    fn();
    return [];
  } catch (error) {
    return [{ path, message: prefix + (error as Error).message }];
  }
}

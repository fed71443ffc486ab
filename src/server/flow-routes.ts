/**
 * Flows over HTTP, on the FlowEngine methods `floe flow …` uses: status, run-status changes (NiFi's
 * optimistic `revision`: a stale one is 409 Conflict), state clearing, emptying a queue, provenance and lineage.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { FloeError } from '../core/errors.js';
import type { FlowEngine } from '../flow/flow-engine.js';
import type { ScheduledState } from '../flow/repository.js';
import { flowFileLineage, PROVENANCE_EVENT_TYPES, searchProvenance } from '../runtime/flow-provenance.js';
import type { ApiContext } from './api-context.js';
import { readJsonBody, readQuery } from './request-body.js';

const ACTIONS: Record<string, ScheduledState | 'RUN_ONCE' | 'CLEAR_STATE'> = {
  start: 'RUNNING',
  stop: 'STOPPED',
  enable: 'STOPPED',
  disable: 'DISABLED',
  'run-once': 'RUN_ONCE',
  'clear-state': 'CLEAR_STATE',
};

const revisionBody = z.object({ revision: z.number().int().min(0).optional() }).strict();

const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');
const limit = z.coerce.number().int().min(1).max(10_000).optional();

const provenanceQuery = z
  .object({
    uuid: z.string().optional(),
    filename: z.string().optional(),
    processor: z.string().optional(),
    type: z.enum(PROVENANCE_EVENT_TYPES as [string, ...string[]]).optional(),
    limit,
  })
  .strict();

const lineageQuery = z.object({ uuid: z.string().optional(), filename: z.string().optional() }).strict();

export function flowRoutes(app: Hono, ctx: ApiContext): void {
  const flowOf = (c: Context): FlowEngine => {
    const name = c.req.param('flow') ?? '';
    const flow = ctx.flows.get(name);
    if (!flow) {
      const known = [...ctx.flows.keys()];
      throw new FloeError('OBJECT_NOT_FOUND', `no flow named '${name}' is running (flows: ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
    return flow;
  };
  const processorOf = (c: Context, flow: FlowEngine): string => {
    const id = c.req.param('id') ?? '';
    if (!flow.nodes.has(id)) throw new FloeError('OBJECT_NOT_FOUND', `flow '${flow.def.name}' has no processor '${id}' (it has: ${[...flow.nodes.keys()].join(', ')})`);
    return id;
  };
  const live = (flow: FlowEngine) => ({ ...flow.status(), live: true, runningPid: process.pid });

  app.get('/v1/flows', (c) => c.json({ flows: [...ctx.flows.values()].map(live) }));

  app.get('/v1/flows/:flow', (c) => {
    const flow = flowOf(c);
    const { state } = readQuery(c, z.object({ state: flag }).strict());
    const processorState = state ? Object.fromEntries([...flow.nodes.keys()].map((id) => [id, flow.getState(id)])) : undefined;
    return c.json({ ...live(flow), ...(processorState ? { state: processorState } : {}) });
  });

  // NiFi's "start/stop process group": every valid stopped processor starts; disabled ones stay as they are.
  for (const [action, target] of [['start', 'RUNNING'], ['stop', 'STOPPED']] as const) {
    app.post(`/v1/flows/:flow/${action}`, async (c) => {
      const flow = flowOf(c);
      await readJsonBody(c, z.object({}).strict());
      const from = target === 'RUNNING' ? 'STOPPED' : 'RUNNING';
      for (const node of flow.nodes.values()) {
        if (node.scheduledState === from && (target === 'STOPPED' || node.invalid.length === 0)) await flow.setRunStatus(node.id, target);
      }
      return c.json({ flow: flow.def.name, processors: flow.status().processors.map((p) => ({ id: p.id, runStatus: p.runStatus, revision: p.revision })) });
    });
  }

  app.post('/v1/flows/:flow/processors/:id/:action', async (c) => {
    const flow = flowOf(c);
    const id = processorOf(c, flow);
    const action = c.req.param('action');
    const target = ACTIONS[action];
    if (target === undefined) throw new FloeError('OBJECT_NOT_FOUND', `unknown processor action '${action}' (expected one of: ${Object.keys(ACTIONS).join(', ')})`);
    const { revision } = await readJsonBody(c, revisionBody);
    if (action === 'enable' && flow.nodes.get(id)!.scheduledState !== 'DISABLED') {
      throw new FloeError('CONFLICT', `processor '${id}' is not disabled`);
    }
    if (target === 'CLEAR_STATE') {
      if (revision !== undefined && revision !== flow.nodes.get(id)!.revision) {
        throw new FloeError('CONFLICT', `processor '${id}': revision ${revision} is stale (current revision is ${flow.nodes.get(id)!.revision})`);
      }
      await flow.clearState(id);
    } else {
      await flow.setRunStatus(id, target, revision);
    }
    const p = flow.status().processors.find((x) => x.id === id)!;
    return c.json({ flow: flow.def.name, processor: id, runStatus: p.runStatus, revision: p.revision });
  });

  app.post('/v1/flows/:flow/connections/:id/empty-queue', async (c) => {
    const flow = flowOf(c);
    const id = c.req.param('id');
    if (!flow.connections.has(id)) throw new FloeError('OBJECT_NOT_FOUND', `flow '${flow.def.name}' has no connection '${id}' (it has: ${[...flow.connections.keys()].join(', ')})`);
    return c.json({ flow: flow.def.name, connection: id, dropped: await flow.emptyQueue(id) });
  });

  app.get('/v1/flows/:flow/provenance', async (c) => {
    const flow = flowOf(c);
    const q = readQuery(c, provenanceQuery);
    return c.json({ events: await searchProvenance(flow.provenance, { ...q, type: q.type as (typeof PROVENANCE_EVENT_TYPES)[number] | undefined }) });
  });

  app.get('/v1/flows/:flow/lineage', async (c) => {
    const flow = flowOf(c);
    return c.json({ events: await flowFileLineage(flow.provenance, readQuery(c, lineageQuery)) });
  });
}

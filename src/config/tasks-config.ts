/**
 * `tasks:` section of floe.yaml — environment settings for the task scheduler that must not live in the SQL
 * (so the SQL stays deployable to Snowflake unchanged).
 */
import { z } from 'zod';
import type { TaskEnvironment } from '../engine/engine-api.js';

export const tasksSection = z
  .object({
    /**
     * Replaces USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS for triggered tasks (Snowflake: at least 10 s);
     * 0 runs a triggered task as soon as a commit gives its stream data (embedded demos).
     */
    minimumTriggerIntervalSeconds: z.number().int().min(0).max(604_800).optional(),
    /** Run schedules and triggers in processes that open this project (default true). */
    scheduler: z.boolean().optional(),
  })
  .strict();

export type TasksConfig = z.infer<typeof tasksSection>;

export function taskEnvironment(c: TasksConfig | undefined): TaskEnvironment {
  return {
    ...(c?.minimumTriggerIntervalSeconds !== undefined ? { minTriggerIntervalSeconds: c.minimumTriggerIntervalSeconds } : {}),
    ...(c?.scheduler !== undefined ? { scheduler: c.scheduler } : {}),
  };
}

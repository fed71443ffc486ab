/**
 * `server:` section of floe.yaml — where `floe run` serves its HTTP API. The defaults keep it private to this
 * machine: 127.0.0.1 and a free port (the chosen address is written to `.floe/server.json`).
 * `floe run --host/--port` override these.
 */
import { z } from 'zod';

export const serverSection = z
  .object({
    /** Interface to bind (default 127.0.0.1). Anything else makes the API reachable from other machines. */
    host: z.string().min(1).optional(),
    /** TCP port; 0 (the default) picks a free one. */
    port: z.number().int().min(0).max(65_535).optional(),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverSection>;

import type { FloeError } from '../core/errors.js';
import type { Engine } from '../engine/engine-api.js';

/**
 * Long-running commands (`floe run`, `floe flow run`) wait here for Ctrl-C or a termination signal — or, given the
 * engine, for its warehouse to fail for good (then the failure is returned: nothing more can run).
 */
export function waitForStopSignal(engine?: Pick<Engine, 'onWarehouseFailure'>): Promise<FloeError | undefined> {
  return new Promise<FloeError | undefined>((resolve) => {
    const stop = (failure?: FloeError): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe?.();
      resolve(failure);
    };
    const onSignal = (): void => stop();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const unsubscribe = engine?.onWarehouseFailure((e) => stop(e));
  });
}

/**
 * Jest globalTeardown: stops only what global-setup started (never servers that were already running),
 * unless KEEP_INFRA=1.
 */
import { localStackDown } from '../../infra';
import { CONTAINERS_KEY, clearInfraState, readInfraState, type GlobalWithContainers } from './infra-state';

export default async function globalTeardown(): Promise<void> {
  const state = readInfraState();
  if (!state) return;
  if (process.env['KEEP_INFRA'] === '1') {
    console.log(
      `[infra] KEEP_INFRA=1: leaving ${state.mode} infra running (${state.started.join(', ') || 'nothing started'})`,
    );
    clearInfraState();
    return;
  }
  const t0 = Date.now();
  if (state.mode === 'local' && state.started.length > 0) await localStackDown(state.started);
  if (state.mode === 'containers') {
    const { stopContainers } = await import('./containers');
    await stopContainers((globalThis as GlobalWithContainers)[CONTAINERS_KEY] ?? []);
  }
  clearInfraState();
  if (state.started.length > 0) {
    console.log(`[infra] stopped ${state.mode} infra (${state.started.join(', ')}) in ${Date.now() - t0} ms`);
  }
}

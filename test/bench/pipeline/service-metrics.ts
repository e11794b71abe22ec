import { httpPortOf } from './services';

/**
 * Reads one counter of a running service's `/metrics` (Prometheus text format), summed per value of one label.
 * The benchmark starts each service on its default HTTP port (`startPipelineServices`).
 */
export const scrapeCounter = async (
  app: string,
  metric: string,
  byLabel: string,
): Promise<Record<string, number>> => {
  const response = await fetch(`http://127.0.0.1:${httpPortOf(app)}/metrics`);
  if (!response.ok) throw new Error(`${app} /metrics answered ${response.status}`);
  const totals: Record<string, number> = {};
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const label = new RegExp(`${byLabel}="([^"]*)"`).exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    totals[label] = (totals[label] ?? 0) + value;
  }
  return totals;
};

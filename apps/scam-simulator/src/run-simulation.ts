import {
  simulateFlows,
  GROUND_TRUTH_STREAM,
  type OutputStream,
  type SimulationProgress,
  type SimulationRequest,
} from './simulate-flows.service';
import type { SimulationSink } from './simulation.sink';

export interface SimulationOutcome {
  /** Lines written per output stream (feed topics and ground truth). */
  readonly counts: ReadonlyMap<OutputStream, number>;
  /** Feed events written (ground truth excluded). */
  readonly events: number;
}

/**
 * Streams a simulation into a sink line by line, waiting on the sink (bounded memory), and closes it.
 * `onProgress` gets the events written so far with each simulated day.
 */
export const runSimulation = async (
  request: SimulationRequest,
  sink: SimulationSink,
  onProgress?: (p: SimulationProgress & { readonly events: number }) => void,
): Promise<SimulationOutcome> => {
  const counts = new Map<OutputStream, number>();
  let events = 0;
  try {
    for (const line of simulateFlows(request, (p) => onProgress?.({ ...p, events }))) {
      await sink.write(line);
      counts.set(line.stream, (counts.get(line.stream) ?? 0) + 1);
      if (line.stream !== GROUND_TRUTH_STREAM) events += 1;
    }
  } finally {
    await sink.close();
  }
  return { counts, events };
};

/**
 * Polls an assertion until it passes or the timeout runs out, then rethrows its last failure.
 * Pipelines are asynchronous: tests wait for an outcome, never for a fixed time.
 */
export const expectEventually = async <T>(
  assertion: () => Promise<T> | T,
  { timeoutMs = 30_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await assertion();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
  throw lastError instanceof Error
    ? lastError
    : new Error(`expectEventually timed out: ${String(lastError)}`);
};

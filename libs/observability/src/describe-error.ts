/**
 * An error as logs should show it: its class, message, stack and every cause, never `[object Object]`.
 * Nest's RPC layer and kafkajs both hand on plain objects at times; those are shown as JSON.
 */
export interface DescribedError {
  readonly class: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: DescribedError;
}

const MAX_CAUSES = 5;

const plainText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

export const describeError = (error: unknown, depth = 0): DescribedError => {
  if (!(error instanceof Error)) {
    return { class: error === null ? 'null' : typeof error, message: plainText(error) };
  }
  const cause: unknown = error.cause;
  return {
    class: error.constructor?.name ?? error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause !== undefined && depth < MAX_CAUSES ? { cause: describeError(cause, depth + 1) } : {}),
  };
};

/** One line: `Class: message <- Cause: message`. */
export const errorSummary = (error: unknown): string => {
  const parts: string[] = [];
  let current: DescribedError | undefined = describeError(error);
  while (current) {
    parts.push(`${current.class}: ${current.message}`);
    current = current.cause;
  }
  return parts.join(' <- ');
};

/** Always an Error: plain objects thrown by a framework become one whose message says what they held. */
export const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(`non-Error thrown: ${plainText(error)}`);

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly contentType: string;
  readonly body: T;
}

export interface RequestOptions {
  readonly token?: string;
  readonly headers?: Record<string, string>;
  /** A value is sent as JSON; a string as is (with the given content type). */
  readonly body?: unknown;
}

/** fetch + JSON decoding; non-JSON answers come back as text. */
export const request = async <T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const parsed: unknown = contentType.includes('json') && text.length > 0 ? JSON.parse(text) : text;
  return { status: response.status, contentType, body: parsed as T };
};

export interface ServerSentEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/**
 * Opens an SSE stream and collects events until `until` says enough (or the timeout), then closes it.
 */
export const collectEvents = async (
  url: string,
  token: string,
  until: (events: readonly ServerSentEvent[]) => boolean,
  {
    lastEventId,
    timeoutMs = 30_000,
    onOpen,
  }: {
    lastEventId?: string;
    timeoutMs?: number;
    /** Called once the stream's headers arrived (the server has fixed where the stream starts). */
    onOpen?: () => Promise<void>;
  } = {},
): Promise<{ status: number; contentType: string; events: ServerSentEvent[] }> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: ServerSentEvent[] = [];
  try {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.body || !contentType.startsWith('text/event-stream')) {
      return { status: response.status, contentType, events };
    }
    await onOpen?.();
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    try {
      while (!until(events)) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          const data = fields.get('data');
          if (data !== undefined) {
            const id = fields.get('id');
            const event = fields.get('event');
            events.push({
              data,
              ...(id === undefined ? {} : { id }),
              ...(event === undefined ? {} : { event }),
            });
          }
        }
      }
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    }
    return { status: response.status, contentType, events };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
};

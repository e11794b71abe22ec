import { api } from './api-client';
import { SseParser, type ServerSentEvent } from './sse-parser';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Follows GET /alerts/stream with fetch (the token goes in a header), reconnecting with Last-Event-ID so no
 * alert is missed across a dropped connection.
 */
export const followAlertStream = (
  query: string,
  onEvent: (event: ServerSentEvent) => void,
  onState: (state: StreamState) => void,
): (() => void) => {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = 2000;

  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      const parser = new SseParser();
      try {
        const response = await fetch(`/alerts/stream${query ? `?${query}` : ''}`, {
          headers: {
            accept: 'text/event-stream',
            ...api.authHeaders(),
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) onEvent(event);
          lastEventId = parser.lastEventId ?? lastEventId;
          retryMs = parser.retryMs ?? retryMs;
        }
      } catch {
        if (controller.signal.aborted) break;
      }
      if (controller.signal.aborted) break;
      onState('reconnecting');
      await new Promise((resolve) => window.setTimeout(resolve, retryMs));
    }
    onState('closed');
  };

  onState('connecting');
  void connect();
  return () => controller.abort();
};

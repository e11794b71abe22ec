import { api } from './api-client';
import type { Disposition } from './api-types';

/** Body of POST /alerts/{alertId}/transitions. */
export type LifecycleCommand =
  | { readonly action: 'acknowledge'; readonly note?: string }
  | { readonly action: 'assign'; readonly assignee: string; readonly note?: string }
  | { readonly action: 'escalate'; readonly strReference?: string; readonly note?: string }
  | {
      readonly action: 'close';
      readonly disposition: Disposition;
      readonly reason?: string;
      readonly duplicateOf?: string;
      readonly note?: string;
    };

export const transition = (alertId: string, command: LifecycleCommand): Promise<unknown> =>
  api.post(`/alerts/${encodeURIComponent(alertId)}/transitions`, command);

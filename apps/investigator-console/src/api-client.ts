import { session } from './session';

/** An RFC 9457 problem the API answered with. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly { path: string; message: string }[] = [],
  ) {
    super(`${status} ${title}: ${detail}`);
  }
}

type Query = Record<string, string | number | undefined | null>;

export const withQuery = (path: string, query: Query = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
};

const authHeaders = (): Record<string, string> => {
  const token = session.token();
  return token ? { authorization: `Bearer ${token}` } : {};
};

const problemOf = async (response: Response): Promise<ProblemError> => {
  try {
    const body = (await response.json()) as {
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    return new ProblemError(
      response.status,
      body.title ?? response.statusText,
      body.detail ?? '',
      body.errors ?? [],
    );
  } catch {
    return new ProblemError(response.status, response.statusText, '');
  }
};

/** Called when the API refuses the token (401), so the app can send the user back to sign-in. */
let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (handler: () => void): void => {
  onUnauthorized = handler;
};

const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
  const response = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...authHeaders(), ...(init.headers as Record<string, string>) },
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401) onUnauthorized();
    throw problem;
  }
  return response;
};

export const api = {
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await (await send(withQuery(path, query))).json()) as T;
  },
  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  },
  /** Fetches a document (XML, CSV, HTML) with the token and returns it with the file name the API suggests. */
  async fetchFile(
    path: string,
    query: Query | undefined,
    accept: string,
    fallbackName: string,
  ): Promise<{ blob: Blob; name: string }> {
    const response = await send(withQuery(path, query), { headers: { accept } });
    const disposition = response.headers.get('content-disposition') ?? '';
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
    return { blob: await response.blob(), name };
  },
  authHeaders,
};

/** Saves a blob as a file through a temporary <a download> link (the browser's own download flow). */
export const saveBlob = (blob: Blob, name: string): void => {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

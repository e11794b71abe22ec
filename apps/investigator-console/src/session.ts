/** The signed-in user: the pasted bearer token (sessionStorage: gone when the tab closes) and its claims. */
const TOKEN_KEY = 'scamflow.console.token';

export interface SessionUser {
  readonly sub: string;
  readonly role: string;
  readonly institutionId: string | undefined;
  readonly expiresAt: Date | undefined;
}

const decodePart = (part: string): unknown => {
  const base64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
};

/** Reads the claims for display only; the API verifies the signature on every call. */
export const claimsOf = (token: string): SessionUser | undefined => {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = decodePart(parts[1]);
    if (typeof payload !== 'object' || payload === null) return undefined;
    const claims = payload as Record<string, unknown>;
    const role = typeof claims['role'] === 'string' ? claims['role'] : undefined;
    if (!role) return undefined;
    const institution = claims['institutionId'] ?? claims['institution'];
    return {
      sub: typeof claims['sub'] === 'string' ? claims['sub'] : '?',
      role,
      institutionId: typeof institution === 'string' ? institution : undefined,
      expiresAt: typeof claims['exp'] === 'number' ? new Date(claims['exp'] * 1000) : undefined,
    };
  } catch {
    return undefined;
  }
};

export const session = {
  token(): string | undefined {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  },
  user(): SessionUser | undefined {
    const token = this.token();
    return token ? claimsOf(token) : undefined;
  },
  signIn(token: string): SessionUser | undefined {
    const user = claimsOf(token);
    if (user) sessionStorage.setItem(TOKEN_KEY, token.trim());
    return user;
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

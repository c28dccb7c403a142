export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** who made the request, as the access token says */
export interface AuthUser {
  readonly id: string;
  readonly role: Role;
  readonly email?: string;
}

/** what user-service answers to a successful login */
export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** seconds */
  readonly expiresIn: number;
}

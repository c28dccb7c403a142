import { randomUUID } from 'node:crypto';
import { api } from './api';
import { settings } from './settings';

const ADMIN = settings.admin;

export interface Actor {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

async function login(email: string, password: string): Promise<string> {
  const res = await api('POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

export async function asAdmin(): Promise<Actor> {
  const token = await login(ADMIN.email, ADMIN.password);
  const me = await api('GET', '/api/users/me', { token });
  return { id: me.body.id, email: ADMIN.email, token };
}

/** registers a new customer through the api and logs in */
export async function newCustomer(name = 'Ada'): Promise<Actor> {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pass-${randomUUID()}-9`;
  const reg = await api('POST', '/api/users', { body: { email, password, name } });
  if (reg.status !== 201) throw new Error(`registering ${email} answered ${reg.status}: ${JSON.stringify(reg.body)}`);
  return { id: reg.body.id, email, token: await login(email, password) };
}

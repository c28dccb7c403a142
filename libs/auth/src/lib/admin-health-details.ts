import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { HealthDetailsAccess } from '@ecom/health';
import { InvalidTokenError } from './invalid-token.error';
import { TokenVerifier } from './token-verifier';

const BEARER = /^Bearer +(\S+)$/i;

/**
 * the readiness details on the public port (each check, versions, stalled partitions) for a valid
 * admin token only; everyone else gets the status. /health/* stays an infrastructure route the
 * guard lets through, so a missing or bad token is not a 401 here, only the short answer
 */
@Injectable()
export class AdminHealthDetails extends HealthDetailsAccess {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  async allows(request: FastifyRequest): Promise<boolean> {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return false;
    try {
      return (await this.verifier.verify(token)).role === 'admin';
    } catch (e) {
      if (e instanceof InvalidTokenError) return false;
      throw e;
    }
  }
}

import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { InvalidTokenError, RevokedUsers, TokenVerifier } from '@ecom/auth';
import { StreamTokens } from './stream-tokens';

const BEARER = /^Bearer +(\S+)$/i;

// the same 401 the global guard answers, with the rfc 6750 challenge
function refuse(reply: FastifyReply, challenge: string, detail: string): never {
  void reply.header('www-authenticate', challenge);
  throw new UnauthorizedException(detail);
}

/**
 * who opens a stream: the bearer token when an authorization header is sent (verified as the
 * global guard would), otherwise a single-use stream token from the query
 */
@Injectable()
export class StreamAuth {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly tokens: StreamTokens,
    private readonly revoked: RevokedUsers,
  ) {}

  async userIdOf(authorization: string | undefined, streamToken: string | undefined, reply: FastifyReply): Promise<string> {
    if (authorization !== undefined) {
      const bearer = BEARER.exec(authorization)?.[1];
      if (!bearer) refuse(reply, 'Bearer error="invalid_request"', 'the authorization header must be "Bearer <token>"');
      try {
        return (await this.verifier.verify(bearer)).id;
      } catch (e) {
        if (!(e instanceof InvalidTokenError)) throw e;
        refuse(reply, 'Bearer error="invalid_token"', `the bearer token is invalid (${e.reason})`);
      }
    }
    if (streamToken !== undefined) {
      const userId = await this.tokens.redeem(streamToken);
      // issued before the user was deleted: gone with the user's bearer tokens
      if (userId && this.revoked.isRevoked(userId)) refuse(reply, 'Bearer error="invalid_token"', 'the stream token is invalid (revoked)');
      if (userId) return userId;
      refuse(reply, 'Bearer error="invalid_token"', 'the stream token is unknown, expired or used already');
    }
    refuse(reply, 'Bearer', 'a bearer token or a stream token (?token=) is required');
  }
}

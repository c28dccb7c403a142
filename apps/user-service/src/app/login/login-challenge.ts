import { Catch, HttpStatus, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@ecom/http';
import { currentCorrelationId, redactUrl } from '@ecom/observability';

/** an account whose logins fail from many addresses, as the challenge hook is told of it */
export interface AccountUnderAttack {
  /** the email as login matches it: trimmed, lower case. the account may not exist */
  readonly email: string;
  /** its failed logins remembered now, from every address */
  readonly recentFailures: number;
}

/**
 * the hook a deployment plugs a CAPTCHA (or another challenge) into. while an account is under
 * attack, every login for it asks required(); when that says yes, the login must carry a token
 * that verify() accepts (a CAPTCHA provider's response token, checked with the provider), or it
 * is refused with 401 and `challenge: kind` before the password is checked.
 * bind an implementation with UserModule.forRoot({ loginChallenge }).
 */
export interface LoginChallenge {
  /** what the client must pass, named in the refusal: 'captcha' */
  readonly kind: string;
  required(account: AccountUnderAttack): Promise<boolean> | boolean;
  verify(token: string, ip: string): Promise<boolean> | boolean;
}

export const LOGIN_CHALLENGE = Symbol('user:login-challenge');

/** the default: no challenge is ever asked for, so nothing but the slow-downs stands in a login's way */
@Injectable()
export class NoLoginChallenge implements LoginChallenge {
  readonly kind = 'captcha';
  required(): boolean {
    return false;
  }
  verify(): boolean {
    return false;
  }
}

export const CHALLENGE_REQUIRED_PROBLEM_TYPE = 'urn:ecom:problem:login-challenge-required';

/** a login for an account under attack, without a challenge token the hook accepts */
export class ChallengeRequired extends Error {
  override readonly name = 'ChallengeRequired';
  constructor(
    readonly challenge: string,
    readonly tokenGiven: boolean,
  ) {
    super(
      tokenGiven
        ? `the ${challenge} token was not accepted; pass a new ${challenge} and send its token as challengeToken`
        : `this account is under attack: pass the ${challenge} and send its token as challengeToken`,
    );
  }
}

/** the login challenge problem: 401 problem+json with the global filter's fields and `challenge` */
@Catch(ChallengeRequired)
export class ChallengeRequiredFilter implements ExceptionFilter {
  catch(error: ChallengeRequired, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem: ProblemDetails & { challenge: string } = {
      type: CHALLENGE_REQUIRED_PROBLEM_TYPE,
      title: 'Unauthorized',
      status: HttpStatus.UNAUTHORIZED,
      detail: error.message,
      instance: redactUrl(request.url),
      correlationId: currentCorrelationId() ?? String(request.id),
      challenge: error.challenge,
    };
    void reply.status(HttpStatus.UNAUTHORIZED).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}

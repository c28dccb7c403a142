import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@ecom/http';

class FieldErrorView {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be a string' }) message!: string;
}

/** the problem+json body of the login route's errors, for the OpenAPI document */
export class LoginProblemView {
  @ApiProperty({ example: 'about:blank', description: `'urn:ecom:problem:login-challenge-required' when \`challenge\` is set` })
  type!: string;
  @ApiProperty({ example: 'Unauthorized' }) title!: string;
  @ApiProperty({ example: 401 }) status!: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional({ description: 'validation problems only: each invalid field', type: [FieldErrorView] })
  errors?: FieldErrorView[];
  @ApiPropertyOptional({
    example: 'captcha',
    description:
      'Set only on a 401 for an account under attack, when the deployment asks for a challenge: what to pass ' +
      "('captcha'). Retry the login with the passed challenge's token in `challengeToken`. Absent on a wrong password.",
  })
  challenge?: string;
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before the next attempt', schema: { type: 'integer', minimum: 1 } } };

/** an error response of the login route, documented as application/problem+json */
export const loginProblem = (description: string, { retryAfter = false } = {}) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(LoginProblemView) } } },
  ...(retryAfter && { headers: RETRY_AFTER }),
});

import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@ecom/http';

class FieldErrorView {
  @ApiProperty({ example: 'limit' }) field!: string;
  @ApiProperty({ example: 'limit must not be greater than 100' }) message!: string;
}

/** the problem+json body every error leaves with (ProblemDetailsFilter), for the OpenAPI document */
export class ProblemView {
  @ApiProperty({ example: 'about:blank' }) type!: string;
  @ApiProperty({ example: 'Not Found' }) title!: string;
  @ApiProperty({ example: 404 }) status!: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional({ description: 'validation problems only: each invalid field', type: [FieldErrorView] })
  errors?: FieldErrorView[];
}

/** an error response documented as application/problem+json; the class needs @ApiExtraModels(ProblemView) */
export const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemView) } } },
});

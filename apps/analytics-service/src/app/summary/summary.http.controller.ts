import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@ecom/auth';
import { SummaryQuery } from './summary.query.dto';
import { SummaryService } from './summary.service';
import { SummaryView } from './summary.view';

@ApiTags('analytics')
@AdminOnly()
@Controller('api/analytics')
export class SummaryHttpController {
  constructor(private readonly summaries: SummaryService) {}

  @Get('summary')
  @ApiOperation({ summary: 'Sign-ups, orders by outcome, revenue per currency and top products over a time window' })
  @ApiOkResponse({ type: SummaryView })
  @ApiBadRequestResponse({
    description: 'Invalid from/to (not ISO 8601 with a zone, from not before to, more than 400 days apart), listed',
  })
  summary(@Query() q: SummaryQuery): Promise<SummaryView> {
    return this.summaries.summary(q);
  }
}

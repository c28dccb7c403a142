import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@ecom/auth';
import { OneGenerationPerRequest } from '@ecom/store-cassandra';
import { SummaryQuery } from './summary.query.dto';
import { SummaryService } from './summary.service';
import { SummaryView } from './summary.view';

@ApiTags('analytics')
@AdminOnly()
// a report reads its facts and stores its rollups in one generation of the tables, across a rebuild's switch
@UseInterceptors(OneGenerationPerRequest)
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

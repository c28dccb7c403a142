import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@ecom/auth';
import { OneGenerationPerRequest } from '@ecom/store-cassandra';
import { TimeseriesQuery } from './timeseries.query.dto';
import { TimeseriesService } from './timeseries.service';
import { TimeseriesView } from './timeseries.view';

@ApiTags('analytics')
@AdminOnly()
// a report reads its facts and stores its rollups in one generation of the tables, across a rebuild's switch
@UseInterceptors(OneGenerationPerRequest)
@Controller('api/analytics')
export class TimeseriesHttpController {
  constructor(private readonly timeseries: TimeseriesService) {}

  @Get('timeseries')
  @ApiOperation({ summary: 'One metric per minute, hour or day bucket over a time window, empty buckets as 0' })
  @ApiOkResponse({ type: TimeseriesView })
  @ApiBadRequestResponse({
    description:
      'Invalid query (unknown metric or interval, bad from/to, more than 400 days or 1500 points, currency without metric=revenue), listed',
  })
  series(@Query() q: TimeseriesQuery): Promise<TimeseriesView> {
    return this.timeseries.series(q);
  }
}

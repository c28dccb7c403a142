import { describeServiceOnStack } from '@ecom/testing';
import { analyticsService } from '../src/app/analytics.service';

describeServiceOnStack(analyticsService, ['cassandra', 'consumer', 'kafka', 'revocations']);

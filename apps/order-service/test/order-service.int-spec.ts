import { describeServiceOnStack } from '@ecom/testing';
import { orderService } from '../src/app/order.service';

describeServiceOnStack(orderService, ['consumer', 'kafka', 'postgres', 'revocations']);

import { describeServiceOnStack } from '@ecom/testing';
import { notificationService } from '../src/app/notification.service';

describeServiceOnStack(notificationService, ['consumer', 'kafka', 'redis', 'revocations']);

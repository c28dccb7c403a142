import { describeServiceOnStack } from '@ecom/testing';
import { userService } from '../src/app/user.service';

describeServiceOnStack(userService, ['kafka', 'mongodb', 'redis', 'revocations']);

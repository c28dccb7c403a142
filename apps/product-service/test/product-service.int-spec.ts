import { describeServiceOnStack } from '@ecom/testing';
import { productService } from '../src/app/product.service';

describeServiceOnStack(productService, ['consumer', 'elasticsearch', 'kafka', 'mongodb', 'redis', 'revocations']);

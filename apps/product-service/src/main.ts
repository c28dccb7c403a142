import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { productService } from './app/product.service';

void bootstrapService(productService);

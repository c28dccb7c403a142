import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { orderService } from './app/order.service';

void bootstrapService(orderService);

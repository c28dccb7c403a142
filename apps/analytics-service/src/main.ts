import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { analyticsService } from './app/analytics.service';

void bootstrapService(analyticsService);

import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { notificationService } from './app/notification.service';

void bootstrapService(notificationService);

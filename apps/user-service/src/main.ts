import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { userService } from './app/user.service';

void bootstrapService(userService);

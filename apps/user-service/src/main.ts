// first: it loads @nestjs/common without paging in ICU (see there), and must come before anything else loads it
import '@ecom/bootstrap/defer-icu';
import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { userService } from './app/user.service';

void bootstrapService(userService);

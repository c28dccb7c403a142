// first: it loads @nestjs/common without paging in ICU (see there), and must come before anything else loads it
import '@ecom/bootstrap/defer-icu';
import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { runRebuild } from '@ecom/kafka';
import { SERVICE } from './app/analytics.config';
import { analyticsService } from './app/analytics.service';
import { analyticsRebuildJob } from './app/rebuild/rebuild-analytics';

// `node main.js rebuild` rebuilds the analytics tables by replay (npm run rebuild -- analytics), in the same image
void (process.argv[2] === 'rebuild' ? runRebuild(SERVICE, analyticsRebuildJob, process.argv.slice(3)) : bootstrapService(analyticsService));

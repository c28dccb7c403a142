// first: it loads @nestjs/common without paging in ICU (see there), and must come before anything else loads it
import '@ecom/bootstrap/defer-icu';
import './tracing';
import { bootstrapService } from '@ecom/bootstrap';
import { runRebuild } from '@ecom/kafka';
import { SERVICE } from './app/product.config';
import { productService } from './app/product.service';
import { searchRebuildJob } from './app/search/rebuild-search';

// `node main.js rebuild` rebuilds the search index by replay (npm run rebuild -- search), in the same image
void (process.argv[2] === 'rebuild' ? runRebuild(SERVICE, searchRebuildJob, process.argv.slice(3)) : bootstrapService(productService));

import { WindowQuery } from '../reporting/window.query.dto';

/** ?from&to: default the last 24 h, at most 400 days */
export class SummaryQuery extends WindowQuery {}

import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from './constants';

/** opts a route or a controller out of the global bearer-token check */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

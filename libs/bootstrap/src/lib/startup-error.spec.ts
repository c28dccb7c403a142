import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigValidationError, httpConfig, readEnv, serviceConfig } from '@ecom/config';
import { loadServiceConfig } from './service-config';
import { describeStartupError } from './startup-error';

const WORKSPACE = join(__dirname, '../../../..');

describe('describeStartupError', () => {
  it('prints a config error as the service name and the list of variables, without a stack', () => {
    const error = new ConfigValidationError(['HTTP_PORT: must be a port number (got "eighty")']);
    const text = describeStartupError('order-service', error);
    expect(text).toBe('order-service: Invalid configuration (1 problem):\n  - HTTP_PORT: must be a port number (got "eighty")');
    expect(text).not.toContain(' at ');
  });

  it('keeps the stack of anything else, which is a bug rather than bad config', () => {
    expect(describeStartupError('order-service', new Error('boom'))).toMatch(/^order-service: failed to start: Error: boom\n\s+at /);
  });
});

describe('loadServiceConfig', () => {
  const module = class {};

  it('refuses config without the service and http pieces, at run time as well as compile time', () => {
    const config = [serviceConfig('x-service')] as const;
    // @ts-expect-error the type demands httpConfig too
    expect(() => loadServiceConfig({ name: 'x-service', module, config }, {})).toThrow(
      'x-service: config must include serviceConfig(name) and httpConfig(port); missing: http',
    );
  });

  it('refuses a serviceConfig named after another service', () => {
    const opts = { name: 'order-service', module, config: [serviceConfig('user-service'), httpConfig(3000)] } as const;
    expect(() => loadServiceConfig(opts, {})).toThrow(
      `order-service: serviceConfig is named "user-service"; use serviceConfig('order-service')`,
    );
  });
});

describe('bootstrapService with bad config', () => {
  it('prints every bad variable to stderr and exits 1', () => {
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'bad-config.spec-helper.ts')], {
      cwd: WORKSPACE,
      env: { ...readEnv(), SWC_NODE_PROJECT: join(WORKSPACE, 'tsconfig.base.json'), HTTP_PORT: 'eighty', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('demo-service: Invalid configuration (2 problems)');
    expect(run.stderr).toContain('HTTP_PORT: must be a port number (got "eighty")');
    expect(run.stderr).toContain('LOG_LEVEL: must be a pino level');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

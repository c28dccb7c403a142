// the jest targets are inferred by @nx/jest/plugin from each jest.config.cts (the @nx/jest:jest
// executor goes away in Nx 24), and integration runs are one target default in nx.json
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/tools';

interface Project {
  targets?: Record<string, { executor?: string }>;
}
const projects = ['apps', 'libs', 'tools']
  .flatMap((top) => readdirSync(join(ROOT, top)).map((d) => join(top, d, 'project.json')))
  .filter((p) => existsSync(join(ROOT, p)));

describe('nx targets', () => {
  it('finds the projects', () => {
    expect(projects.length).toBeGreaterThan(20);
  });

  it('uses no @nx/jest:jest executor', () => {
    const uses = projects.flatMap((p) =>
      Object.entries((JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as Project).targets ?? {})
        .filter(([, t]) => t.executor === '@nx/jest:jest')
        .map(([name]) => `${p}:${name}`),
    );
    expect(uses).toEqual([]);
  });

  it('infers test (and e2e) from jest.config.cts, and runs every jest.int.config.cts through the integration default', () => {
    const nx = JSON.parse(readFileSync(join(ROOT, 'nx.json'), 'utf8'));
    expect(
      nx.plugins
        .filter((p: { plugin: string }) => p.plugin === '@nx/jest/plugin')
        .map((p: { options: { targetName: string } }) => p.options.targetName),
    ).toEqual(['test', 'e2e']);
    expect(nx.targetDefaults.integration.options.command).toBe('jest --config jest.int.config.cts --runInBand');
    for (const p of projects) {
      const dir = join(ROOT, p, '..');
      const targets = (JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as Project).targets ?? {};
      expect([p, existsSync(join(dir, 'jest.int.config.cts'))]).toEqual([p, 'integration' in targets]);
    }
  });
});

import { tool } from './support/tools';

describe('the offline checkers', () => {
  it.each([
    ['kustomize', ['version'], /v5\.8\.1/],
    ['actionlint', ['-version'], /1\.7\.12/],
    ['kubernetes-validate', ['--version'], /1\.37\.0/],
    ['hadolint', ['--version'], /2\.15\.1/],
    ['docker-compose', ['version'], /v2\.40\.3/],
    ['gitleaks', ['version'], /v8\.30\.1/],
    ['promtool', ['--version'], /promtool, version 3\.16\.0 /],
  ])('%s is installed at its pinned version', (name, args, version) => {
    const r = tool(name, args);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(version);
  });
});

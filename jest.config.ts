import { getJestProjectsAsync } from '@nx/jest';

// the root config runs every project's unit tests in one jest process
export default async () => ({
  projects: await getJestProjectsAsync(),
});

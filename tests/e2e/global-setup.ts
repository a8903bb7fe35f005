import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startStaticServer } from './static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const { url, server } = await startStaticServer({ '/fixtures/': 'tests/fixtures', '/': 'dist' });
  project.provide('baseUrl', url);
  return () => new Promise<void>((done) => server.close(() => done()));
}

#!/usr/bin/env node
// The `projector` command from a checkout, without building: tsx compiles the TypeScript sources
// as they load (the installed package runs the bundle dist-node/projector.js instead).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));

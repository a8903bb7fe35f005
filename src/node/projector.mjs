#!/usr/bin/env node
// The `projector` command. The sources are TypeScript: tsx compiles them as they load,
// with this package's tsconfig wherever the command is run from.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));

/** The `projector` command as the package ships it: bundled to dist-node/projector.js, plain Node, no compiler at run time. */
import { main } from './cli';

process.exitCode = await main(process.argv.slice(2));

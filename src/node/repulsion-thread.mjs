// A layout pool's helper thread from the sources: tsx compiles the TypeScript, as for the `projector`
// command run from a checkout. The package ships repulsion-thread.ts bundled under this same name.
import { register } from 'tsx/esm/api';

register();
await import('./repulsion-thread.ts');

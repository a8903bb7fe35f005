import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The library build (`embedding-projector`): the component and mount() as ES modules in dist-lib/,
 * with React, three and zustand left to the consumer's install, and the styles as style.css.
 */

/**
 * The workers inlined into the bundle. A consumer's bundler would have to follow
 * `new Worker(new URL('./x.worker.ts', import.meta.url))` into node_modules, which Vite's
 * dependency pre-bundling breaks; a worker built into the bundle and started from a blob URL needs
 * nothing from it. The sources keep the plain form, which the app's own build handles.
 */
function inlineWorkers(): Plugin {
  const pattern = /new Worker\(new URL\((['"])(\.\/[\w.-]+\.worker\.ts)\1, import\.meta\.url\), \{ type: 'module' \}\)/g;
  return {
    name: 'inline-workers',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/workers\/[^/]+\.ts$/.test(id) || !code.includes('new Worker(')) return null;
      const imports: string[] = [];
      const out = code.replace(pattern, (_all, _quote, path: string) => {
        const name = `InlineWorker${imports.length}`;
        imports.push(`import ${name} from '${path}?worker&inline';`);
        return `new ${name}()`;
      });
      if (out.includes('new Worker(new URL(')) this.error(`${id}: a worker not in the form new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module' })`);
      return { code: `${imports.join('\n')}\n${out}`, map: null };
    },
  };
}

/** Left to the consumer: one React, one three.js and one store library for the whole page. */
const external = /^(react|react-dom|three|three-stdlib|zustand|fast-png|@react-three\/[^/]+)(\/.*)?$/;

export default defineConfig({
  plugins: [inlineWorkers(), react()],
  publicDir: false,
  // An inlined worker runs from a blob URL, where a chunk of its own could not be found: its lazy
  // imports (the parse worker's table readers) are bundled into it.
  worker: { format: 'es', rollupOptions: { output: { codeSplitting: false } } },
  build: {
    outDir: 'dist-lib',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    lib: { entry: 'src/lib/index.ts', formats: ['es'], fileName: () => 'index.js', cssFileName: 'style' },
    rollupOptions: { external: (id) => external.test(id) },
  },
});

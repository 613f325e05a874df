// The workbench build: `vite build web` or, from `npm start` and the e2e setup, buildWorkbench()
// in src/server/static.ts. Paths are relative to web/, the root both pass.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // absolute asset URLs: deep links such as /items/ID load the same /assets/ files
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // the graph view (sigma, graphology) is its own chunk, loaded when opened
    chunkSizeWarningLimit: 800,
    // no inline scripts or data: URLs: the server's CSP allows same-origin files only
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // two pages: the workbench, and the public check (GET /check) that shares nothing with it
    rollupOptions: {
      input: {
        workbench: fileURLToPath(new URL('index.html', import.meta.url)),
        check: fileURLToPath(new URL('check.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
});

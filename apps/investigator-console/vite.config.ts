import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console is served by the investigator API under /console/ and calls the API on the same origin. */
export default defineConfig({
  base: '/console/',
  // Roles, the role matrix and the lifecycle table are shared with the API: plain data in libs/contracts, whose
  // zod schemas the console does not need (so not the package index).
  resolve: {
    alias: {
      '@scamflow/contracts': fileURLToPath(
        new URL('../../libs/contracts/src/investigator-api.ts', import.meta.url),
      ),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Cytoscape alone is ~400 kB minified: one bundle is fine for an internal tool.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '^/(alerts|accounts|paths|cases|audit|health)': 'http://127.0.0.1:8080' } },
});

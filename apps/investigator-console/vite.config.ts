import { defineConfig } from 'vite';

/** The console is served by the investigator API under /console/ and calls the API on the same origin. */
export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Cytoscape alone is ~400 kB minified: one bundle is fine for an internal tool.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '^/(alerts|accounts|paths|cases|audit|health)': 'http://127.0.0.1:8080' } },
});

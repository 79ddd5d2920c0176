import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // `npm run web:dev`: hot reload against the API of a local `npm start`, on one origin as in production.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: {
    outDir: resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    // Each page is its own chunk (React.lazy); the first page loads only what it needs.
    chunkSizeWarningLimit: 800,
  },
});

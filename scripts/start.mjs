// `npm start`: builds dist/ when src/ changed (scripts/build.mjs), then runs the hub in this same
// process, with source maps for stack traces that name the TypeScript lines.
import { build } from './build.mjs';

const code = await build();
if (code !== 0) process.exit(code);
process.setSourceMapsEnabled(true);
await import('../dist/main.js');

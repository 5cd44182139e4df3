import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { schema } from '../../schema/index.ts';
import { labelsModule } from './labels.ts';

const require = createRequire(import.meta.url);
// From the project root, so that the compiled hub (dist/server/explore/) finds them too.
const ASSETS = join(import.meta.dirname, '../../../src/server/explore/assets');

/** The charting library and its one dependency, served from node_modules: no CDN, works offline. */
const VENDOR = {
  'd3.min.js': join(dirname(require.resolve('d3')), 'd3.min.js'),
  'plot.umd.min.js': join(dirname(require.resolve('@observablehq/plot')), '../dist/plot.umd.min.js'),
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

// The page may load and fetch only from the hub itself; Plot sets inline styles on its SVG.
const POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

interface Asset {
  body: string;
  type: string;
  etag: string;
}

function asset(path: string, body = readFileSync(path, 'utf8')): Asset {
  const extension = path.slice(path.lastIndexOf('.') + 1);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, type: TYPES[extension] ?? 'application/octet-stream', etag };
}

/**
 * `/explore`: the report's figures redrawn live from the API with Observable Plot. The page and
 * its scripts (every file in assets/) are read once at start, with `labels.js` made from the
 * schema's labels; each chart queries `/graphql` from the browser.
 */
export function useExplorer(): Plugin {
  const files = new Map<string, Asset>([
    ['/explore', asset(join(ASSETS, 'index.html'))],
    ...readdirSync(ASSETS)
      .filter((name) => name !== 'index.html')
      .map((name): [string, Asset] => [`/explore/${name}`, asset(join(ASSETS, name))]),
    ['/explore/labels.js', asset('labels.js', labelsModule(schema))],
    ...Object.entries(VENDOR).map(([name, path]): [string, Asset] => [`/explore/vendor/${name}`, asset(path)]),
  ]);
  return {
    onRequest({ request, url, endResponse }) {
      const file = files.get(url.pathname === '/explore/' ? '/explore' : url.pathname);
      if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const headers = {
        'content-type': file.type,
        etag: file.etag,
        'cache-control': 'public, max-age=0, must-revalidate',
        'content-security-policy': POLICY,
        'x-content-type-options': 'nosniff',
      };
      if (request.headers.get('if-none-match') === file.etag) endResponse(new Response(null, { status: 304, headers }));
      else endResponse(new Response(request.method === 'HEAD' ? null : file.body, { headers }));
    },
  };
}

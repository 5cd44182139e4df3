import autocannon from 'autocannon';

// `npm run bench`: the load generator, in a process of its own so that it never shares an event
// loop with a server under test. bench/run.ts starts one per target:
//   node --import tsx bench/load.ts '{"url": "...", "method": "POST", "headers": {...}, "body": "..."}'
// and reads one line of JSON from stdout (LoadResult). BENCH_CONNECTIONS (default 4) connections
// for BENCH_SECONDS (default 10), after BENCH_WARMUP_SECONDS (default 1) whose answers are not
// counted.
//
// Latency: autocannon's histogram keeps whole milliseconds, so its p50 of a sub-millisecond or
// 1 ms answer is 0 or 1. The latencies here are autocannon's own per-response times (hrtime, in
// fractional ms), kept in full and summarised exactly: mean, p50, p99. A line `measuring` on stdout
// marks the start of the counted window.

export interface LoadTarget {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Latencies of the 2xx answers, ms. */
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);

function run(target: LoadTarget, duration: number, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { ...target, connections: CONNECTIONS, duration },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
    if (latencies) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      });
    }
  });
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const target = JSON.parse(process.argv[2] ?? '') as LoadTarget;
if (WARMUP_SECONDS > 0) await run(target, WARMUP_SECONDS);
// Tells the runner the counted window starts (it reads the servers' CPU time then).
process.stdout.write('measuring\n');
const latencies: number[] = [];
const result = await run(target, SECONDS, latencies);
const sorted = Float64Array.from(latencies).sort();
const output: LoadResult = {
  requests: result.requests.total,
  requestsPerSecond: result.requests.total / (result.duration || SECONDS),
  meanMs: latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
  p50Ms: quantile(sorted, 0.5),
  p99Ms: quantile(sorted, 0.99),
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(output)}\n`);

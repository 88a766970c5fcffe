// Preloaded into the gateway by export-memory.bench.ts (NODE_OPTIONS=--require …): appends
// process.memoryUsage() as one JSON line to MEMORY_PROBE_FILE every 100 ms, so the benchmark
// can tell V8 heap from external memory and buffers, which /proc's RSS cannot.
const { appendFileSync } = require('node:fs');

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  setInterval(() => {
    appendFileSync(file, `${JSON.stringify(process.memoryUsage())}\n`);
  }, 100).unref();
}

// The frequency limiter alone (issue 17): FrequencyLimiter.admitMany for 1,000 messages (the
// default limits `template:1m=1,1h=5,1d=10;account:1d=20`, numbers drawn from 100,000, three
// templates), one call at a time against the real Redis, without the service around it.
// `node -r ./tools/runtime/register.cjs bench/interception/frequency-limiter.bench.ts [--batches N]`
// Prints the round trip (min, p50, p99) and Redis's CPU per call — Redis's whole process, so
// other clients of a shared Redis count too. Needs Redis on 127.0.0.1 (TEST_REDIS_URL overrides).
import { loadavg } from 'node:os';
import { createRedis } from '@sms/platform-redis';
import { createTestRedisPrefix, deleteKeysWithPrefix, testInfrastructure } from '@sms/testing';
import { FrequencyLimiter } from '../../apps/interception-service/src/admission/frequency-limiter';
import { parseFrequencyLimits } from '../../apps/interception-service/src/admission/frequency-limits';
import { flag } from '../flags';

const BATCHES = flag('batches', 60);
const BATCH = 1000;

async function main(): Promise<void> {
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'bench-frequency' });
  const prefix = `${createTestRedisPrefix('bench-frequency').replace(/[{}]/g, '')}:`;
  const limiter = new FrequencyLimiter(redis, prefix);
  const limits = parseFrequencyLimits('template:1m=1,1h=5,1d=10;account:1d=20');
  const redisCpuSeconds = async (): Promise<number> => {
    const info = await redis.info('cpu');
    const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]);
    const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
    return user + sys;
  };
  const loadBefore = loadavg();
  try {
    const times: number[] = [];
    const cpuBefore = await redisCpuSeconds();
    for (let b = 0; b < BATCHES; b++) {
      const requests = Array.from({ length: BATCH }, (_, i) => ({
        accountId: 'bench-acc',
        phone: `+44790${String(Math.floor(Math.random() * 100_000)).padStart(6, '0')}`,
        templateId: `tpl-${i % 3}`,
        limits,
      }));
      const started = process.hrtime.bigint();
      await limiter.admitMany(requests, Date.now());
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const cpuMs = (((await redisCpuSeconds()) - cpuBefore) * 1000) / BATCHES;
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
    process.stdout.write(
      `load average before: ${load(loadBefore)}; after: ${load(loadavg())}\n` +
        `admitMany(${BATCH}) x ${BATCHES}: min ${times[0].toFixed(2)} ms, p50 ${at(0.5).toFixed(2)} ms, ` +
        `p99 ${at(0.99).toFixed(2)} ms; Redis CPU ${cpuMs.toFixed(1)} ms a call\n`,
    );
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
}

void main();

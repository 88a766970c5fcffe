// Runs the whole system locally: migrations first, then the five services as separate processes,
// their JSON logs shown as readable lines with the service name. Ctrl-C (or SIGTERM) stops all
// of them gracefully and waits for them.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const register = path.join(root, 'tools/runtime/register.cjs');
const services = [
  'status-tracker',
  'interception-service',
  'reply-service',
  'webhook-dispatcher',
  'gateway',
];
const colours = {
  'status-tracker': 36,
  'interception-service': 35,
  'reply-service': 33,
  'webhook-dispatcher': 34,
  gateway: 32,
};
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/sms',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379/0',
  // Development only: webhooks may go to http:// receivers on this machine (the simulator's).
  WEBHOOK_ALLOW_HTTP: process.env.WEBHOOK_ALLOW_HTTP || 'true',
  WEBHOOK_ALLOWED_CIDRS: process.env.WEBHOOK_ALLOWED_CIDRS || '127.0.0.0/8,::1/128',
};

function pretty(service, line) {
  const tag = `\x1b[${colours[service]}m${service.padEnd(20)}\x1b[0m`;
  try {
    const {
      time,
      level,
      msg,
      context,
      service: _s,
      pid: _p,
      hostname: _h,
      ...rest
    } = JSON.parse(line);
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    const clock = typeof time === 'string' ? time.slice(11, 23) : '';
    return `${tag} ${clock} ${String(level).toUpperCase().padEnd(5)} ${context ? `[${context}] ` : ''}${msg ?? ''}${extra}`;
  } catch {
    return `${tag} ${line}`;
  }
}

let stopping = false;

// Each service on its default ports (README "Ports").
const ports = {
  'status-tracker': { grpc: 50051, http: 9101 },
  'interception-service': { grpc: 50052, http: 9102 },
  'reply-service': { grpc: 50053, http: 9103 },
  'webhook-dispatcher': { grpc: 50054, http: 9104 },
  gateway: { http: 3000 },
};

function portInUse(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => resolve(error.code === 'EADDRINUSE'));
    probe.once('listening', () => probe.close(() => resolve(false)));
    probe.listen(port, '0.0.0.0');
  });
}

async function checkPortsFree() {
  const busy = [];
  for (const [service, { grpc, http }] of Object.entries(ports)) {
    for (const port of [grpc, http].filter(Boolean)) {
      if (await portInUse(port)) busy.push(`${port} (${service})`);
    }
  }
  if (busy.length > 0) {
    console.error(
      `Ports in use: ${busy.join(', ')}.\n` +
        'Is the system already running (npm start in another terminal)? Stop it with Ctrl-C there,\n' +
        'or stop whatever holds these ports.',
    );
    process.exit(1);
  }
}

async function waitUntilReady() {
  const deadline = Date.now() + 120_000;
  for (const [service, { http }] of Object.entries(ports)) {
    for (;;) {
      if (stopping) return;
      const healthy = await fetch(`http://127.0.0.1:${http}/healthz`)
        .then((response) => response.ok)
        .catch(() => false);
      if (healthy) break;
      if (Date.now() > deadline) {
        console.error(`${service} did not become healthy within 2 minutes; see its lines above.`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  console.log(
    [
      '',
      'Ready. Console   http://127.0.0.1:3000/console/  (users: `npm run simulate` prints some, or',
      '                 `npm run -s accounts -- create-user --account acc_… --email you@example.com`)',
      '       REST API  http://127.0.0.1:3000/v1  (reference: http://127.0.0.1:3000/docs)',
      '       gRPC      status-tracker 127.0.0.1:50051, interception-service 127.0.0.1:50052, reply-service 127.0.0.1:50053,',
      '                 webhook-dispatcher 127.0.0.1:50054',
      '       health    http://127.0.0.1:{3000,9101,9102,9103,9104}/healthz and /metrics',
      'Traffic: npm run simulate -- --messages 10000 --accounts 3 (in another terminal). Ctrl-C stops all.',
      '',
    ].join('\n'),
  );
}

// The web console (apps/console) is static files the gateway serves at /console/: build them when
// missing or older than their sources.
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildConsoleIfStale() {
  const consoleIndex = path.join(root, 'dist/console/index.html');
  const built = fs.existsSync(consoleIndex) ? fs.statSync(consoleIndex).mtimeMs : 0;
  if (built >= newestMtime(path.join(root, 'apps/console'))) return;
  console.log('building the web console (apps/console)...');
  const build = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '-c',
      'apps/console/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (build.status !== 0) {
    console.error('the console build failed; not starting the system');
    process.exit(1);
  }
}

async function main() {
  await checkPortsFree();
  buildConsoleIfStale();
  for (const service of services) {
    const result = spawnSync(process.execPath, ['-r', register, `apps/${service}/src/migrate.ts`], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      console.error(`migrations of ${service} failed; not starting the system`);
      process.exit(1);
    }
  }

  const children = services.map((service) => {
    const child = spawn(process.execPath, ['-r', register, `apps/${service}/src/main.ts`], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      readline
        .createInterface({ input: stream })
        .on('line', (line) => console.log(pretty(service, line)));
    }
    child.on('exit', (code, signal) => {
      console.log(pretty(service, `exited (${signal ?? code})`));
      if (!stopping) stop(`${service} exited`);
    });
    return child;
  });

  function stop(reason) {
    if (stopping) return;
    stopping = true;
    console.log(`stopping all services (${reason})...`);
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  }
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null ? resolve() : child.once('exit', resolve),
        ),
    ),
  ).then(() => {
    console.log('all services stopped');
    process.exit(0);
  });

  await waitUntilReady();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

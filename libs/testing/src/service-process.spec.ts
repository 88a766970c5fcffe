import { startServiceProcess } from './service-process';

describe('startServiceProcess', () => {
  it('runs the sources through the swc hook by default', async () => {
    const service = startServiceProcess('apps/no-such-app/src/main.ts', {});
    expect((await service.exited).code).not.toBe(0);
    expect(service.child.spawnargs.join(' ')).toContain('tools/runtime/register.cjs');
    expect(service.output()).toContain('apps/no-such-app/src/main.ts');
  });

  it('runs the build under dist/ with plain node, no hook, when compiled', async () => {
    const service = startServiceProcess('apps/no-such-app/src/main.ts', {}, { compiled: true });
    expect((await service.exited).code).not.toBe(0);
    expect(service.child.spawnargs).not.toContain('-r');
    expect(service.output()).toContain('dist/apps/no-such-app/src/main.js');
  });
});

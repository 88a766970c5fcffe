export { testInfrastructure, type TestInfrastructure } from './infrastructure';
export { createTestSchema, type TestSchema } from './test-schema';
export { createTestRedisPrefix, deleteKeysWithPrefix } from './test-redis';
export { freePort, waitFor } from './wait';
export {
  startServiceProcess,
  type ServiceProcess,
  type ServiceProcessOptions,
} from './service-process';
export { grpcHealthStatus } from './grpc-health';
export { describeServiceLifecycle, type ServiceUnderTest } from './service-lifecycle';
export {
  startInProcessService,
  type InProcessService,
  type InProcessServiceDefinition,
} from './in-process-service';
export {
  startWorkspaceService,
  type WorkspaceService,
  type WorkspaceServiceOptions,
} from './workspace-service';
export {
  TestReceiver,
  verifySignature,
  type Behaviour,
  type ReceivedRequest,
} from './webhook-receiver';
export {
  startRedisCluster,
  type ClusterNodeProcess,
  type RedisClusterUnderTest,
} from './redis-cluster';

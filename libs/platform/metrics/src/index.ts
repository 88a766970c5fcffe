export {
  HealthRegistry,
  type HealthCheck,
  type HealthReport,
  type ReadinessRule,
} from './health-registry';
export { METRICS_REGISTRY, ObservabilityModule } from './observability.module';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';

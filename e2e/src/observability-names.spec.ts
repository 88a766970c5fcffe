import { exposedMetricNames, metricNamesIn } from './observability-names';

describe('metric names in PromQL', () => {
  it('keeps metrics and drops functions, labels, ranges, numbers and keywords', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, method) (rate(grpc_server_handling_seconds_bucket{service="x",code!="OK"}[5m]))) > 250e6',
      ),
    ).toEqual(['grpc_server_handling_seconds_bucket']);
    expect(
      metricNamesIn(
        'max(status_outbox_dead_letters) > 0 or sum(increase(reply_outbox_failures_total{kind="refused"}[1h])) > 0',
      ),
    ).toEqual(['status_outbox_dead_letters', 'reply_outbox_failures_total']);
  });

  it('reads histogram series from a scrape', () => {
    const names = exposedMetricNames(
      '# HELP h help\n# TYPE h histogram\nh_bucket{le="1"} 0\n# TYPE c counter\n',
    );
    expect([...names].sort()).toEqual(['c', 'h', 'h_bucket', 'h_count', 'h_sum']);
  });
});

import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import { createMetrics } from '../../src/metrics/yrdx.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus.js';

describe('the metrics registry', () => {
  it('renders counters, gauges and histograms that a strict parser reads back', async () => {
    const registry = new MetricsRegistry();
    const c = registry.counter('t_requests_total', 'Requests.\nSecond line with a \\ backslash', [
      'route',
      'code',
    ]);
    const g = registry.gauge('t_open', 'Open things');
    const h = registry.histogram('t_latency_seconds', 'Latency', ['partner'], [0.1, 1, 10]);
    c.inc({ route: '/v1/messages', code: '202' });
    c.inc({ route: '/v1/messages', code: '202' }, 2);
    c.inc({ route: 'a "quoted"\\path\nnext', code: '400' });
    g.set({}, -3.5);
    for (const v of [0.05, 0.5, 5, 50]) h.observe({ partner: '320500' }, v);
    const text = await registry.render();
    const families = parsePrometheusText(text);
    expect(families.get('t_requests_total')).toMatchObject({
      type: 'counter',
      help: 'Requests.\nSecond line with a \\ backslash',
    });
    expect(sampleValue(families, 't_requests_total', { route: '/v1/messages', code: '202' })).toBe(3);
    expect(sampleValue(families, 't_requests_total', { route: 'a "quoted"\\path\nnext' })).toBe(1);
    expect(sampleValue(families, 't_open')).toBe(-3.5);
    expect(sampleValue(families, 't_latency_seconds_bucket', { partner: '320500', le: '0.1' })).toBe(1);
    expect(sampleValue(families, 't_latency_seconds_bucket', { partner: '320500', le: '10' })).toBe(3);
    expect(sampleValue(families, 't_latency_seconds_bucket', { partner: '320500', le: '+Inf' })).toBe(4);
    expect(sampleValue(families, 't_latency_seconds_count', { partner: '320500' })).toBe(4);
    expect(sampleValue(families, 't_latency_seconds_sum', { partner: '320500' })).toBeCloseTo(55.55);
  });

  it('refuses invalid names, a counter going down, unordered buckets and a name declared twice', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter('bad-name', 'x')).toThrow(RangeError);
    expect(() => registry.counter('ok_total', 'x', ['bad-label'])).toThrow(RangeError);
    expect(() => registry.histogram('h', 'x', [], [1, 1])).toThrow(RangeError);
    const c = registry.counter('ok_total', 'x');
    expect(() => c.inc({}, -1)).toThrow(RangeError);
    expect(() => registry.gauge('ok_total', 'x')).toThrow(RangeError);
  });

  it('runs collectors at scrape time and reports a failing one instead of failing the scrape', async () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge('t_now', 'set at scrape', ['k']);
    let n = 0;
    registry.onCollect(() => {
      g.reset();
      g.set({ k: String(++n) }, n);
    });
    registry.onCollect(() => {
      throw new Error('store down');
    });
    await registry.render();
    const families = parsePrometheusText(await registry.render());
    expect(families.get('t_now')?.samples).toEqual([{ name: 't_now', labels: { k: '2' }, value: 2 }]);
    expect(sampleValue(families, 'yrdx_metrics_collector_failures')).toBe(1);
  });

  it('declares every yrdx metric with HELP and TYPE even before anything happened', async () => {
    const families = parsePrometheusText(await createMetrics().registry.render());
    for (const name of [
      'yrdx_submissions_total',
      'yrdx_messages_total',
      'yrdx_delivery_attempts_total',
      'yrdx_delivery_retries_total',
      'yrdx_dead_letters_total',
      'yrdx_delivery_latency_seconds',
      'yrdx_local_push_total',
      'yrdx_circuit_open',
      'yrdx_threads_overdue',
      'yrdx_thread_tracks_open',
      'yrdx_key_expiry_seconds',
      'yrdx_key_expiring',
      'yrdx_anonymous_refusals_total',
    ]) {
      expect(families.get(name)?.help, name).toBeTruthy();
    }
  });
});

describe('the strict Prometheus text parser of the tests', () => {
  const bad: [string, string][] = [
    ['no final newline', 'a 1'],
    ['bad escape', 'a{l="\\t"} 1\n'],
    ['unterminated label', 'a{l="x} 1\n'],
    ['bad value', 'a 1,5\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['negative counter', '# TYPE a counter\na -1\n'],
    ['split family', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="y"} 2\n'],
    ['duplicate series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\nh_sum 1\n'],
    [
      'non-cumulative buckets',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n',
    ],
  ];
  it.each(bad)('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

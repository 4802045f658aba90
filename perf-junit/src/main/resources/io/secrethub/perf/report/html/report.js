// Draws the charts of the perf-junit HTML report with uPlot, from the JSON in #perf-data. Every element with the
// class "chart" gets one chart; when all are built, <body data-charts-drawn="N"> says so (tests wait for it).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('perf-data').textContent);
  var COLORS = {
    throughput: ['#1f77b4'],
    latency: ['#2ca02c', '#ff7f0e', '#d62728'],
    distribution: ['#9467bd'],
    errors: ['#d62728']
  };

  // The percentile spectrum is drawn against 1 / (1 - p), on a log scale, so 90%, 99%, 99.9% are evenly spaced.
  function percentileOf(x) {
    var decimals = Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2);
    return (100 * (1 - 1 / x)).toFixed(decimals) + '%';
  }

  // One tick per decade of 1 / (1 - p): 0%, 90%, 99%, 99.9%, ...
  function decades(u) {
    var ticks = [];
    for (var x = 1; x <= u.scales.x.max * 1.0001; x *= 10) {
      ticks.push(x);
    }
    return ticks;
  }

  function series(label, color) {
    return { label: label, stroke: color, width: 2, points: { show: true, size: 4 } };
  }

  function chartData(timeline, kind) {
    if (kind === 'distribution') {
      var xs = [];
      var finiteMax = 1;
      timeline.dp.forEach(function (p) {
        if (p < 100) {
          finiteMax = Math.max(finiteMax, 1 / (1 - p / 100));
        }
      });
      // 100% would be at infinity: the maximum is drawn one decade beyond the last finite step.
      timeline.dp.forEach(function (p) { xs.push(p < 100 ? 1 / (1 - p / 100) : finiteMax * 10); });
      return [xs, timeline.dv];
    }
    if (kind === 'throughput') {
      return [timeline.t, timeline.thr];
    }
    if (kind === 'latency') {
      return [timeline.t, timeline.p50, timeline.p95, timeline.p99];
    }
    return [timeline.t, timeline.err];
  }

  function options(kind, width) {
    var colors = COLORS[kind];
    var time = { label: 'seconds since start' };
    var o = { width: width, height: 220, scales: { x: { time: false } }, legend: { show: true } };
    if (kind === 'throughput') {
      o.title = 'Throughput over time';
      o.series = [{ label: 's' }, series('ops/s', colors[0])];
      o.axes = [time, { label: 'ops/s' }];
    } else if (kind === 'latency') {
      o.title = 'Latency over time (ms)';
      o.series = [{ label: 's' }, series('p50', colors[0]), series('p95', colors[1]), series('p99', colors[2])];
      o.axes = [time, { label: 'ms' }];
    } else if (kind === 'distribution') {
      o.title = 'Latency by percentile (ms)';
      o.scales.x = { time: false, distr: 3, log: 10 };
      o.series = [{ label: 'percentile', value: function (u, x) { return x == null ? '' : percentileOf(x); } },
        series('latency', colors[0])];
      o.axes = [{ label: 'percentile', splits: decades, values: function (u, splits) {
        return splits.map(percentileOf);
      } }, { label: 'ms' }];
    } else {
      o.title = 'Errors over time';
      o.series = [{ label: 's' }, series('errors', colors[0])];
      o.axes = [time, { label: 'errors per interval' }];
    }
    return o;
  }

  var charts = document.querySelectorAll('.chart');
  charts.forEach(function (element) {
    var timeline = data.tests[Number(element.dataset.test)].timelines[Number(element.dataset.timeline)];
    var kind = element.dataset.kind;
    new uPlot(options(kind, element.clientWidth || 520), chartData(timeline, kind), element);
    element.dataset.colors = COLORS[kind].join(',');
  });
  // uPlot draws in a microtask after construction; the marker follows once it has.
  setTimeout(function () { document.body.dataset.chartsDrawn = String(charts.length); }, 0);
})();

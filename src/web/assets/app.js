/* global document, window */
// kneecheck web: progressive enhancement only; every page works without this file.
(function () {
  'use strict';

  // The knee picture: tapping a zone ticks the matching "where" box, and the picture follows it.
  function kneePicture() {
    var form = document.getElementById('check-form');
    if (!form) return;
    var zones = form.querySelectorAll('svg.knee .zone');
    function box(where) {
      return form.querySelector('input[name="where"][value="' + where + '"]');
    }
    function sync() {
      zones.forEach(function (z) {
        var b = box(z.getAttribute('data-where'));
        z.classList.toggle('on', !!(b && b.checked));
      });
    }
    zones.forEach(function (z) {
      z.addEventListener('click', function () {
        var b = box(z.getAttribute('data-where'));
        if (!b) return;
        b.checked = !b.checked;
        sync();
      });
    });
    form.addEventListener('change', sync);
    sync();
  }

  // The stride charts with uPlot (served from the package, no CDN); the table stays below.
  // Sized from the figure (the chart's own box is hidden while empty: measuring it gave 0 and a
  // 600 px fallback that made the phone page 629 px wide), resized with the figure, dates in the
  // runner's locale, and the legend shows the latest run until a point is hovered.
  function strideCharts() {
    var dataEl = document.getElementById('stride-data');
    if (!dataEl || typeof window.uPlot !== 'function') return;
    var d = JSON.parse(dataEl.textContent || '{}');
    if (!d.t || d.t.length === 0) return;
    var day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
    var full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
    var charts = [];
    function widthOf(el) {
      var box = el.closest('figure') || el.parentElement || el;
      return Math.max(200, Math.min(box.clientWidth || 300, 1200));
    }
    function lastIndex(values) {
      for (var i = values.length - 1; i >= 0; i--) if (values[i] != null) return i;
      return null;
    }
    function draw(name, label, unit, actual, expected) {
      var el = document.querySelector('[data-chart="' + name + '"]');
      if (!el) return;
      var last = lastIndex(actual);
      var opts = {
        width: widthOf(el),
        height: 220,
        scales: { x: { time: true } },
        series: [
          {
            label: 'run',
            value: function (u, v) {
              return v == null ? '–' : full.format(new Date(v * 1000));
            },
          },
          {
            label: label,
            stroke: '#2c6bd6',
            width: 2,
            points: { show: true, size: 6 },
            value: function (u, v) {
              return v == null ? '–' : v + ' ' + unit;
            },
          },
          {
            label: 'expected at that speed',
            stroke: '#8a94a6',
            width: 1.5,
            dash: [6, 4],
            points: { show: false },
            value: function (u, v) {
              return v == null ? '–' : v + ' ' + unit;
            },
          },
        ],
        axes: [
          {
            values: function (u, vals) {
              return vals.map(function (v) {
                return day.format(new Date(v * 1000));
              });
            },
          },
          { label: unit, size: 56 },
        ],
        hooks: {
          ready: [
            function (u) {
              if (last !== null) u.setLegend({ idx: last });
            },
          ],
          setCursor: [
            function (u) {
              if (u.cursor.idx == null && last !== null) u.setLegend({ idx: last });
            },
          ],
        },
      };
      charts.push({ el: el, plot: new window.uPlot(opts, [d.t, actual, expected], el) });
    }
    draw('step-rate', 'step rate', 'spm', d.stepRate, d.expected);
    draw('step-length', 'step length', d.lengthUnit, d.stepLength, d.expectedLength);
    var table = document.querySelector('details[data-fallback]');
    if (table && charts.length > 0) table.removeAttribute('open');
    function resize() {
      charts.forEach(function (c) {
        var w = widthOf(c.el);
        if (Math.abs(w - c.plot.width) > 1) c.plot.setSize({ width: w, height: 220 });
      });
    }
    if (typeof window.ResizeObserver === 'function') {
      var ro = new window.ResizeObserver(resize);
      charts.forEach(function (c) {
        ro.observe(c.el.closest('figure') || c.el);
      });
    } else window.addEventListener('resize', resize);
  }

  // Dates and times in the runner's own locale (the server writes "24 Nov 2026, 18:15").
  function localTimes() {
    var styles = {
      date: { dateStyle: 'medium' },
      datetime: {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
      },
    };
    document.querySelectorAll('time[data-style]').forEach(function (t) {
      var style = styles[t.getAttribute('data-style')];
      var iso = t.getAttribute('datetime') || '';
      if (!style) return;
      var at = new Date(/^\d{4}-\d\d-\d\d$/.test(iso) ? iso + 'T12:00:00Z' : iso);
      if (isNaN(at.getTime())) return;
      var opts = Object.assign({ timeZone: t.getAttribute('data-zone') || undefined }, style);
      try {
        t.textContent = new Intl.DateTimeFormat(undefined, opts).format(at);
      } catch {
        // An unknown zone: keep the server's text.
      }
    });
  }

  // The run page's pace, step rate and heart rate over the run (issue 11 part B); the
  // minute-by-minute table stays below and folds away once a chart is drawn.
  function seriesCharts() {
    var dataEl = document.getElementById('series-data');
    if (!dataEl || typeof window.uPlot !== 'function') return;
    var d = JSON.parse(dataEl.textContent || '{}');
    if (!d.t || d.t.length === 0) return;
    function clock(s) {
      if (s == null) return '–';
      s = Math.round(s);
      var m = Math.floor(s / 60);
      var sec = String(s % 60).padStart(2, '0');
      return m >= 60
        ? Math.floor(m / 60) + ':' + String(m % 60).padStart(2, '0') + ':' + sec
        : m + ':' + sec;
    }
    var charts = [];
    // The figure's width: the chart's own box is empty (hidden) until uPlot fills it.
    function widthOf(el) {
      var box = el.parentElement || el;
      return Math.max(240, Math.min(box.clientWidth || 600, 1200));
    }
    function lastIndex(values) {
      for (var i = values.length - 1; i >= 0; i--) if (values[i] != null) return i;
      return null;
    }
    function draw(name, label, values, fmt, flip) {
      var el = document.querySelector('[data-series-chart="' + name + '"]');
      if (!el) return;
      var opts = {
        width: widthOf(el),
        height: 180,
        scales: { x: { time: false }, y: flip ? { dir: -1 } : {} },
        series: [
          {
            label: 'time',
            value: function (u, v) {
              return clock(v);
            },
          },
          {
            label: label,
            stroke: '#2c6bd6',
            width: 1.5,
            spanGaps: false,
            points: { show: false },
            value: function (u, v) {
              return fmt(v);
            },
          },
        ],
        axes: [
          {
            // Whole minutes on the time axis (5:00, 10:00, …), not 1000-second steps.
            incrs: [60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800],
            values: function (u, vals) {
              return vals.map(clock);
            },
          },
          {
            size: 52,
            values: function (u, vals) {
              // Units are in the caption; the axis keeps to numbers so they fit a phone.
              return vals.map(function (v) {
                return flip ? clock(v) : String(Math.round(v));
              });
            },
          },
        ],
      };
      // The legend shows the latest value rather than "--" until hovered.
      var last = lastIndex(values);
      opts.hooks = {
        ready: [
          function (u) {
            if (last !== null) u.setLegend({ idx: last });
          },
        ],
        setCursor: [
          function (u) {
            if (u.cursor.idx == null && last !== null) u.setLegend({ idx: last });
          },
        ],
      };
      var plot = new window.uPlot(opts, [d.t, values], el);
      charts.push({ el: el, plot: plot });
    }
    draw(
      'pace',
      'pace',
      d.pace,
      function (v) {
        return v == null ? '–' : clock(v) + ' /' + d.unit;
      },
      true,
    );
    draw(
      'step-rate',
      'step rate',
      d.stepRate,
      function (v) {
        return v == null ? '–' : Math.round(v) + ' spm';
      },
      false,
    );
    draw(
      'heart-rate',
      'heart rate',
      d.heartRate,
      function (v) {
        return v == null ? '–' : Math.round(v) + ' bpm';
      },
      false,
    );
    var table = document.querySelector('details[data-series-fallback]');
    if (table && charts.length > 0) table.removeAttribute('open');
    window.addEventListener('resize', function () {
      charts.forEach(function (c) {
        c.plot.setSize({ width: widthOf(c.el), height: 180 });
      });
    });
  }

  function start() {
    localTimes();
    kneePicture();
    strideCharts();
    seriesCharts();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

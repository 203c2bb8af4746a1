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
  function strideCharts() {
    var dataEl = document.getElementById('stride-data');
    if (!dataEl || typeof window.uPlot !== 'function') return;
    var d = JSON.parse(dataEl.textContent || '{}');
    if (!d.t || d.t.length === 0) return;
    var charts = [];
    function draw(name, label, unit, actual, expected) {
      var el = document.querySelector('[data-chart="' + name + '"]');
      if (!el) return;
      var opts = {
        width: Math.max(280, el.clientWidth || 600),
        height: 220,
        scales: { x: { time: true } },
        series: [
          {},
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
        axes: [{}, { label: unit, size: 56 }],
      };
      charts.push({ el: el, plot: new window.uPlot(opts, [d.t, actual, expected], el) });
    }
    draw('step-rate', 'step rate', 'spm', d.stepRate, d.expected);
    draw('step-length', 'step length', d.lengthUnit, d.stepLength, d.expectedLength);
    var table = document.querySelector('details[data-fallback]');
    if (table && charts.length > 0) table.removeAttribute('open');
    window.addEventListener('resize', function () {
      charts.forEach(function (c) {
        c.plot.setSize({ width: Math.max(280, c.el.clientWidth || 600), height: 220 });
      });
    });
  }

  function start() {
    kneePicture();
    strideCharts();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

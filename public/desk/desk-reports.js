/*
 * The reports page's charts (issue 18), drawn with Chart.js (loaded before this file from
 * /desk/assets/vendor/, served from node_modules). Each <canvas data-chart="…"> carries its
 * figures as JSON written by the server; the table under it has the same figures, so the page
 * says everything without this script. No inline script or style: Chart.js sizes its canvas
 * through the CSSOM, which the console's Content-Security-Policy allows.
 */
(function () {
  'use strict';

  // Choosing dates means a custom period: switch the period picker to it.
  var period = document.getElementById('r-period');
  ['r-from', 'r-to'].forEach(function (id) {
    var input = document.getElementById(id);
    if (input && period) {
      input.addEventListener('change', function () {
        if (input.value) period.value = 'custom';
      });
    }
  });

  if (typeof window.Chart !== 'function') return;
  var Chart = window.Chart;
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1f2328';

  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute('data-chart') || '');
    } catch (e) {
      return;
    }
    var horizontal = spec.horizontal === true;
    var stacked = spec.stacked === true;
    var doughnut = spec.type === 'doughnut';
    var config = {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return { label: d.label, data: d.data, backgroundColor: d.color, borderColor: doughnut ? '#ffffff' : d.color, borderWidth: doughnut ? 2 : 0 };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        indexAxis: horizontal ? 'y' : 'x',
        plugins: {
          // One dataset of bars names itself in the caption; several (or slices) need the legend.
          legend: { display: doughnut || spec.datasets.length > 1, position: 'bottom' },
        },
        scales: doughnut
          ? {}
          : {
              x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
              y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
            },
      },
    };
    new Chart(canvas, config);
    canvas.setAttribute('data-drawn', 'true');
  }

  var canvases = document.querySelectorAll('canvas[data-chart]');
  for (var i = 0; i < canvases.length; i++) draw(canvases[i]);
})();

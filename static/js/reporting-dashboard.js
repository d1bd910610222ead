// Dashboard chart: duos started (bars) and employment rate (line) by quarter.
// Data comes from the json_script element "trend-data" rendered by the view.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: data.started_label, data: data.started, yAxisID: "duos", backgroundColor: "rgba(13, 110, 253, 0.5)" },
        { type: "line", label: data.rate_label, data: data.employment_rate, yAxisID: "rate", borderColor: "#198754", backgroundColor: "#198754", spanGaps: true, tension: 0.2 }
      ]
    },
    options: {
      locale: document.documentElement.lang || undefined,  // numbers as on the rest of the page
      responsive: true,
      interaction: { mode: "index", intersect: false },
      scales: {
        duos: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 } },
        rate: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } }
      }
    }
  });
})();

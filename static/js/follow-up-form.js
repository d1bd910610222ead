// Recording a follow-up: the contract type only matters for a salaried job,
// "same job" only for a job or self-employment; hide them otherwise (the
// server drops them too).
(function () {
  "use strict";
  var form = document.getElementById("follow-up-form");
  var contract = document.getElementById("follow-up-contract");
  var sameJob = document.getElementById("follow-up-same-job");
  if (!form || !contract || !sameJob) {
    return;
  }
  function situation() {
    var checked = form.querySelector("input[name=situation]:checked");
    return checked ? checked.value : "";
  }
  function sync() {
    var value = situation();
    contract.hidden = value !== "job";
    sameJob.hidden = value !== "job" && value !== "self_employment";
  }
  form.querySelectorAll("input[name=situation]").forEach(function (input) {
    input.addEventListener("change", sync);
  });
  sync();
})();

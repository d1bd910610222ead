// Closing a duo: job details only matter for a salaried job; hide them
// otherwise (the server ignores them too).
(function () {
  "use strict";
  var type = document.getElementById("id_outcome_type");
  var job = document.getElementById("job-fields");
  if (!type || !job) {
    return;
  }
  function sync() {
    job.hidden = type.value !== "job";
  }
  type.addEventListener("change", sync);
  sync();
})();

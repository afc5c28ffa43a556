// The upload job page (library/job_views.py) while its job runs: asks the job's status
// every second and a half and updates the progress bar, the step and the time in place;
// once the job has ended, loads the page again to show how. Without script a meta
// refresh in <noscript> reloads the whole page instead.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = document.getElementById("job-text");
  var elapsed = document.getElementById("job-elapsed");
  var delay = 1500;

  function show(state) {
    if (state.done) {
      window.location.reload();
      return false;
    }
    bar.max = state.steps;
    bar.value = state.step;
    if (text.textContent !== state.text) {
      text.textContent = state.text; // role=status: read out only when the step changes
    }
    elapsed.textContent = state.elapsed;
    return true;
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        delay = 1500;
        if (show(state)) {
          window.setTimeout(ask, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000); // the server is busy or gone: ask less often
        window.setTimeout(ask, delay);
      });
  }
  window.setTimeout(ask, delay);
})();

// Export progress: ask the server where the export stands every second, update the bar,
// and reload the page when it has finished (the page then shows the download link).
(function () {
  "use strict";
  var box = document.getElementById("export-progress");
  if (!box || box.dataset.active !== "yes") return;
  var url = box.dataset.statusUrl;
  var bar = box.querySelector("progress");
  var count = box.querySelector("[data-field=count]");
  var status = box.querySelector("[data-field=status]");
  var note = box.querySelector("[data-field=note]");
  var left = box.querySelector("[data-field=time-left]");

  function show(data) {
    bar.max = Math.max(1, data.total);
    bar.value = data.done;
    bar.textContent = data.done + " of " + data.total;
    count.textContent = data.done + " of " + data.total;
    if (status) {
      status.textContent = data.status;
      status.className = "badge export-" + data.status;
    }
    if (note && data.status === "running") {
      note.textContent = data.done >= data.total
        ? "Putting the file together."
        : "Making the scorecards; you may leave this page and come back.";
    }
    if (left && data.status === "running") left.textContent = data.time_left;
  }

  function poll() {
    fetch(url, {
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.status !== "queued" && data.status !== "running") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();

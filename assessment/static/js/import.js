// Candidate CSV upload with progress: a file over the server's limit is refused before it
// is sent (saying the limit); otherwise the upload shows how much has gone, then how long
// the rows have been checking, and the server's page replaces this one. Without this
// script the form posts as usual and the server says the same things.
(function () {
  "use strict";
  var form = document.querySelector("form[data-import]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var input = form.querySelector("input[type=file]");
  var button = form.querySelector("button[type=submit]");
  var box = form.querySelector("[data-import-progress]");
  var bar = form.querySelector("[data-import-bar]");
  var text = form.querySelector("[data-import-text]");
  var limit = Number(form.dataset.maxBytes);

  function say(message, isError) {
    box.hidden = false;
    text.textContent = message;
    text.className = isError ? "small error" : "small";
  }

  function rowsIn(file) {
    return file.text().then(function (body) {
      var lines = body.split(/\r\n|\n|\r/).filter(function (l) { return l.trim() !== ""; });
      return Math.max(0, lines.length - 1);
    });
  }

  function send(rows) {
    var what = rows.toLocaleString() + " row" + (rows === 1 ? "" : "s");
    var started = 0;
    var timer = null;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      var done = Math.round((100 * event.loaded) / event.total);
      bar.value = done;
      say("Uploading " + what + ": " + done + "%");
    };
    xhr.upload.onload = function () {
      bar.removeAttribute("value"); // the server is at work: an indeterminate bar
      started = Date.now();
      var tick = function () {
        var seconds = Math.round((Date.now() - started) / 1000);
        say("Checking and adding " + what + "… " + seconds + " s");
      };
      tick();
      timer = setInterval(tick, 1000);
    };
    xhr.onload = function () {
      clearInterval(timer);
      document.open();
      document.write(xhr.responseText); // the server's page: the report, or what was wrong
      document.close();
    };
    xhr.onerror = function () {
      clearInterval(timer);
      button.disabled = false;
      say("The upload did not get through. Check the connection and upload again.", true);
    };
    button.disabled = true;
    bar.value = 0;
    say("Uploading " + what + ": 0%");
    xhr.send(new FormData(form));
  }

  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (!file) return; // the server asks for a file
    event.preventDefault();
    if (limit && file.size > limit) {
      say(form.dataset.tooLarge, true);
      input.focus();
      return;
    }
    rowsIn(file).then(send, function () { send(0); });
  });
})();

// The candidate's item page: time the answer and save each pick as it is made.
// Without this script the page still works: Next posts the form, and the server times
// the page from the signed "shown at" stamp it carries.
(function () {
  "use strict";
  var form = document.querySelector("form[data-sa-item]");
  if (!form) return;
  var SAME = "The same response cannot be both the most and the least effective. " +
    "Choose a different one for one of them.";
  var OFFLINE = "Not saved yet. Your answer will be sent when you press Next.";
  var started = window.performance ? performance.now() : Date.now();
  var before = parseInt(form.getAttribute("data-ms-before"), 10) || 0;
  var firstField = form.elements.ms_first;
  var totalField = form.elements.ms_total;
  var first = firstField.value === "" ? null : parseInt(firstField.value, 10);
  var stateEl = form.querySelector("[data-save-state]");
  var problemEl = form.querySelector("[data-problem]");
  var queue = Promise.resolve();  // saves go one after another, in the order made
  var sending = false;

  function now() { return window.performance ? performance.now() : Date.now(); }
  function elapsed() { return before + Math.round(now() - started); }
  function picked(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : "";
  }
  function say(text, kind) {
    stateEl.textContent = text;
    stateEl.className = "sa-save small" + (kind ? " " + kind : " muted");
  }
  function problem(text) { problemEl.textContent = text; }
  function clash() { return picked("most") !== "" && picked("most") === picked("least"); }

  function entry() {
    return {
      most: picked("most"),
      least: picked("least"),
      value: picked("value"),
      ms_first: first,
      ms_total: elapsed(),
      shown: form.elements.shown.value
    };
  }

  function post(body) {
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-Requested-With": "fetch"
      },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) { say("Saved", "ok"); return; }
        if (response.status === 409 && data.url) { window.location.assign(data.url); return; }
        say(data.message || OFFLINE, "warn");
      });
    }).catch(function () { say(OFFLINE, "warn"); });
  }

  function save() {
    var body = JSON.stringify(entry());
    queue = queue.then(function () { return post(body); });
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "radio") return;
    if (first === null) {
      first = elapsed();
      firstField.value = String(first);
    }
    if (clash()) { problem(SAME); return; }
    problem("");
    say("Saving…");
    save();
  });

  form.addEventListener("submit", function (event) {
    if (sending) return;
    event.preventDefault();
    sending = true;
    // form.submit() sends no button, so the one pressed (Next, Back) goes in a hidden field.
    var go = form.querySelector('input[type="hidden"][name="go"]');
    if (!go) {
      go = document.createElement("input");
      go.type = "hidden";
      go.name = "go";
      form.appendChild(go);
    }
    go.value = event.submitter && event.submitter.value ? event.submitter.value : "next";
    totalField.value = String(elapsed());
    if (first !== null) firstField.value = String(first);
    // A save still on its way lands first; a slow network holds Next for 3 s at most.
    var wait = new Promise(function (resolve) { setTimeout(resolve, 3000); });
    Promise.race([queue, wait]).then(function () { form.submit(); });
  });

  // Back from the browser's cache: time the page afresh rather than from its first showing.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { sending = false; started = now(); before = 0; }
  });
})();

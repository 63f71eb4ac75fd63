// The candidate's item page: time the answer and save each pick as it is made.
// "Saved" means the server stored it; until then the pick stays in this browser and is
// sent again. The server issues each answer's version, so no clock decides which save
// wins: the later one to arrive. Without this script the page still works: Next posts the
// form, and the server times the page from the signed "shown at" stamp it carries.
(function () {
  "use strict";
  var form = document.querySelector("form[data-sa-item]");
  if (!form) return;
  var SAME = "The same response cannot be both the most and the least effective. " +
    "Choose a different one for one of them.";
  var OFFLINE = "Not saved yet: your answer is kept in this browser and sent again shortly.";
  var DRAFT = "sa-draft:" + form.getAttribute("data-draft-id");
  var started = window.performance ? performance.now() : Date.now();
  var before = parseInt(form.getAttribute("data-ms-before"), 10) || 0;
  var firstField = form.elements.ms_first;
  var totalField = form.elements.ms_total;
  var baseField = form.elements.base;
  var first = firstField.value === "" ? null : parseInt(firstField.value, 10);
  var stateEl = form.querySelector("[data-save-state]");
  var problemEl = form.querySelector("[data-problem]");
  var changeEl = form.querySelector("[data-change]");
  var queue = Promise.resolve();  // saves go one after another, in the order made
  var sending = false, retryTimer = null;

  function now() { return window.performance ? performance.now() : Date.now(); }
  function elapsed() { return before + Math.round(now() - started); }
  function picked(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : "";
  }
  function picks() { return { most: picked("most"), least: picked("least"), value: picked("value") }; }
  function setPicks(p) {
    form.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = p[r.name] === r.value; });
  }
  function say(text, kind) {
    stateEl.textContent = text;
    stateEl.className = "sa-save small" + (kind ? " " + kind : " muted");
  }
  function problem(text) { problemEl.textContent = text; }
  function clash() { return picked("most") !== "" && picked("most") === picked("least"); }
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  function labelOf(name, value) {
    var radio = value && form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (!radio) return "none";
    var text = radio.closest("label").querySelector(name === "value" ? ".sa-option-text" : ".sa-letter");
    return text.textContent.trim();
  }
  function describe(p) {
    if (p.value) return labelOf("value", String(p.value));
    return "most effective " + labelOf("most", p.most || "") + ", least effective " + labelOf("least", p.least || "");
  }

  function entry() {
    var p = picks();
    p.ms_first = first;
    p.ms_total = elapsed();
    p.shown = form.elements.shown.value;
    p.base = Number(baseField.value) || 0;
    return p;
  }

  function post(sent) {
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-Requested-With": "fetch" },
      body: JSON.stringify(sent)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok && data.saved) {
          baseField.value = String(data.version);
          var s = store(), kept = s && s.getItem(DRAFT);
          if (s && kept === JSON.stringify(sent)) s.removeItem(DRAFT);
          if (data.replaced) {
            problem("Saved. This replaced an answer given in another tab or window: " + describe(data.replaced) + ".");
          }
          say("Saved", "ok");
          return;
        }
        if (response.status === 409 && data.url) { window.location.assign(data.url); return; }
        if (response.status >= 500 || !data.message) { say(OFFLINE, "warn"); retryLater(); return; }
        say("Not saved: " + data.message, "bad");
      });
    }).catch(function () { say(OFFLINE, "warn"); retryLater(); });
  }

  function save() {
    var sent = entry(), s = store();
    if (s) s.setItem(DRAFT, JSON.stringify(sent));
    queue = queue.then(function () { return post(sent); });
  }
  function retryLater() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      var s = store(), kept = s && s.getItem(DRAFT);
      if (kept) queue = queue.then(function () { return post(JSON.parse(kept)); });
    }, 5000);
  }

  // Every change shows, with an Undo (a tap or Space is deliberate, but can still slip).
  var shown = picks();
  function showChange(was) {
    var now = picks(), names = ["value", "most", "least"], parts = [];
    names.forEach(function (n) {
      if (was[n] && now[n] !== was[n]) {
        parts.push((n === "value" ? "" : (n === "most" ? "Most effective " : "Least effective ")) +
          labelOf(n, was[n]) + " → " + labelOf(n, now[n]));
      }
    });
    changeEl.textContent = "";
    changeEl.hidden = !parts.length;
    if (!parts.length) return;
    changeEl.appendChild(document.createTextNode("Changed: " + parts.join("; ") + " "));
    var undo = document.createElement("button");
    undo.type = "button"; undo.className = "sa-link"; undo.setAttribute("data-undo", "");
    undo.textContent = "Undo";
    undo.addEventListener("click", function () {
      setPicks(was);
      changed();
    });
    changeEl.appendChild(undo);
  }

  function changed() {
    var was = shown;
    shown = picks();
    showChange(was);
    if (first === null) {
      first = elapsed();
      firstField.value = String(first);
    }
    if (clash()) { problem(SAME); return; }
    problem("");
    say("Saving…");
    save();
  }

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") changed();
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
  window.addEventListener("online", retryLater);

  // A pick this browser still holds (the connection dropped, the tab was closed) that
  // differs from what is stored is put back and sent.
  var s = store(), kept = s && s.getItem(DRAFT);
  if (kept) {
    var draft = JSON.parse(kept);
    var page = picks();
    if (draft.most === page.most && draft.least === page.least && String(draft.value) === page.value) {
      s.removeItem(DRAFT);
    } else {
      setPicks(draft);
      shown = picks();
      say(OFFLINE, "warn");
      queue = queue.then(function () { return post(draft); });
    }
  }
})();

// The interviewer's screen: save each entry as it is made, never lose one.
// Without this script the page still works: its Save and Submit buttons post the form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-interview]");
  if (!form) return;
  var interviewId = form.getAttribute("data-interview");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var stateEl = document.querySelector("[data-save-state]");
  var lostEl = document.querySelector("[data-session-lost]");
  var answeredEl = document.querySelector("[data-answered]");
  var progressEl = document.querySelector("[data-progress]");
  var KEY = "interview:" + interviewId + ":";
  var inFlight = {};   // question id -> true while its save is on the way
  var again = {};      // question id -> true when it changed during that save
  var timers = {};
  var retryTimer = null;

  function token() { return tokenMeta.getAttribute("content"); }
  function setToken(value) {
    if (!value) return;
    tokenMeta.setAttribute("content", value);
    form.querySelectorAll('input[name="csrf_token"]').forEach(function (el) { el.value = value; });
  }
  function say(text, kind) {
    stateEl.textContent = text;
    stateEl.className = "save-state" + (kind ? " " + kind : "");
  }
  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function entryOf(fieldset) {
    var qid = fieldset.getAttribute("data-question");
    var checked = fieldset.querySelector('input[type="radio"]:checked');
    return {
      qid: qid,
      value: checked ? checked.value : "",
      notes: fieldset.querySelector("textarea").value,
      edited_ms: Date.now()
    };
  }
  function keep(entry) {
    var s = store();
    if (s) s.setItem(KEY + entry.qid, JSON.stringify(entry));
  }
  function pending() {
    var s = store(), out = [];
    if (!s) return out;
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(KEY) === 0) {
        try { out.push(JSON.parse(s.getItem(k))); } catch (e) { s.removeItem(k); }
      }
    }
    return out;
  }
  function fieldsetOf(qid) { return document.getElementById("q-" + qid); }
  function showProblem(qid, text) {
    var fs = fieldsetOf(qid);
    if (!fs) return;
    fs.querySelector("[data-problem]").textContent = text || "";
    fs.classList.toggle("has-problem", !!text);
  }

  function send(qid) {
    var s = store();
    var raw = s && s.getItem(KEY + qid);
    if (!raw) return Promise.resolve();
    if (inFlight[qid]) { again[qid] = true; return Promise.resolve(); }
    var entry = JSON.parse(raw);
    var fs = fieldsetOf(qid);
    if (!fs) { s.removeItem(KEY + qid); return Promise.resolve(); }
    inFlight[qid] = true;
    say("Saving…");
    return post(fs.getAttribute("data-save-url"), entry, true).then(function (ok) {
      inFlight[qid] = false;
      if (ok && s.getItem(KEY + qid) === raw) s.removeItem(KEY + qid);
      if (again[qid]) { again[qid] = false; return send(qid); }
    });
  }

  function post(url, entry, mayRetry) {
    var body = new URLSearchParams({ value: entry.value, notes: entry.notes, edited_ms: String(entry.edited_ms) });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "X-Requested-With": "fetch", "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        setToken(data.csrf_token);
        if (response.ok) {
          lostEl.hidden = true;
          answeredEl.textContent = data.answered;
          progressEl.value = data.answered;
          showProblem(entry.qid, data.problem);
          var t = new Date();
          say("All changes saved · " + t.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), "ok");
          return true;
        }
        if (response.status === 400 && data.csrf_token && mayRetry) {
          return post(url, entry, false);  // the page's token had expired: once more with the new one
        }
        if (response.status === 401) {
          lostEl.hidden = false;
          say("Signed out: entries kept in this browser", "warn");
          retryLater();
          return false;
        }
        if (response.status === 409) { say(data.error || "This interview is locked.", "bad"); return true; }
        showProblem(entry.qid, data.error || "Not saved.");
        say("Not saved: " + (data.error || response.status), "bad");
        return response.status < 500;  // a refusal will not change by retrying; a crash might
      });
    }, function () {
      say("Offline: entries kept, retrying…", "warn");
      retryLater();
      return false;
    });
  }

  function retryLater() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 10000);
  }
  function flush() {
    return Promise.all(pending().map(function (e) { return send(e.qid); }));
  }

  function changed(fieldset, delay) {
    var entry = entryOf(fieldset);
    keep(entry);
    say("Unsaved changes…");
    clearTimeout(timers[entry.qid]);
    timers[entry.qid] = setTimeout(function () { send(entry.qid); }, delay);
  }

  form.addEventListener("change", function (event) {
    var fs = event.target.closest("fieldset[data-question]");
    if (fs && event.target.type === "radio") changed(fs, 0);
  });
  form.addEventListener("input", function (event) {
    var fs = event.target.closest("fieldset[data-question]");
    if (fs && event.target.tagName === "TEXTAREA") changed(fs, 800);
  });

  // 1–5 rate the question that has focus, N marks it not covered (not while typing).
  form.addEventListener("keydown", function (event) {
    var t = event.target;
    if (t.tagName === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) return;
    var fs = t.closest("fieldset[data-question]");
    if (!fs) return;
    var key = event.key.toLowerCase();
    var value = key === "n" ? "nc" : ("12345".indexOf(key) >= 0 && key.length === 1 ? key : null);
    if (!value) return;
    var radio = fs.querySelector('input[type="radio"][value="' + value + '"]');
    if (!radio) return;
    event.preventDefault();
    radio.checked = true;
    radio.focus();
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // Submitting: everything typed is saved first, with the freshest token.
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-flushed")) return;
    event.preventDefault();
    var submitter = event.submitter;
    Object.keys(timers).forEach(function (q) { clearTimeout(timers[q]); });
    flush().then(function () {
      // A page open for hours may hold an expired token: fetch a fresh one to submit with.
      return fetch(form.getAttribute("data-token-url"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (data) { setToken(data.csrf_token); }, function () {});
    }).then(function () {
      form.setAttribute("data-flushed", "1");
      if (submitter) {
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.submit();
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending().length && !form.getAttribute("data-flushed")) { event.preventDefault(); event.returnValue = ""; }
  });
  window.addEventListener("online", flush);
  window.addEventListener("focus", function () { if (!lostEl.hidden) flush(); });

  // Coming back (a closed tab, a sign-in after the session ended): entries newer than what
  // the server has are put back on the page and saved.
  pending().forEach(function (entry) {
    var fs = fieldsetOf(entry.qid);
    if (!fs) return;
    if (entry.edited_ms <= Number(fs.getAttribute("data-edited-ms"))) {
      store().removeItem(KEY + entry.qid);
      return;
    }
    var radio = fs.querySelector('input[type="radio"][value="' + entry.value + '"]');
    fs.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = r === radio; });
    fs.querySelector("textarea").value = entry.notes;
  });
  flush();
})();

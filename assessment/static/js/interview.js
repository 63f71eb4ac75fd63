// The interviewer's screen: save each entry as it is made and never lose one.
// Order comes from the server: each stored entry has a version it issued, a save says
// which version it was based on, and the later save to arrive wins. No clock is read.
// An entry stays in this browser (localStorage) until the server says it stored it.
// Without this script the page still works: Save and Submit post the whole form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-interview]");
  if (!form) return;
  var PAGE = Math.random().toString(36).slice(2, 10);  // this page, among open tabs
  var KEY = "interview:" + form.getAttribute("data-interview") + ":";
  var POLL_MS = 20000;
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var stateEl = document.querySelector("[data-save-state]");
  var lostEl = document.querySelector("[data-session-lost]");
  var targetEl = document.querySelector("[data-key-target]");
  var known = {};     // question id -> {version, value, notes}: what the server stored
  var refused = {};   // question id -> why the server (or this page) would not store it
  var inFlight = {}, again = {}, timers = {};
  var offline = false, retryTimer = null, current = null;

  function fieldsets() { return form.querySelectorAll("fieldset[data-question]"); }
  function fieldsetOf(qid) { return form.querySelector('fieldset[data-question="' + qid + '"]'); }
  function valueOf(fs) {
    var checked = fs.querySelector('input[type="radio"]:checked');
    return checked ? checked.value : "";
  }
  function show(fs, value, notes) {
    fs.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = r.value === value; });
    fs.querySelector("textarea").value = notes;
    counter(fs);
  }
  function labelOf(fs, value) {
    if (!value) return "none";
    if (value === "nc") return "not covered";
    if (fs.getAttribute("data-keys") !== null) return value;
    var radio = fs.querySelector('input[type="radio"][value="' + value + '"]');
    return radio ? radio.closest("label").textContent.trim() : value;
  }
  function describe(fs, entry) {
    var parts = [];
    if (entry.value) parts.push((fs.getAttribute("data-keys") !== null ? "Rating " : "") + labelOf(fs, entry.value) + ".");
    if (entry.notes) parts.push(entry.notes);
    return parts.join(" ") || "(empty)";
  }

  // --- the local copy ----------------------------------------------------------------------
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  function keyOf(qid) { return KEY + PAGE + ":" + qid; }
  function local(qid) {
    var s = store(), raw = s && s.getItem(keyOf(qid));
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }
  function keep(entry) { var s = store(); if (s) s.setItem(keyOf(entry.qid), JSON.stringify(entry)); }
  function drop(qid) { var s = store(); if (s) s.removeItem(keyOf(qid)); }
  function pendingIds() {
    var out = [];
    fieldsets().forEach(function (fs) {
      var qid = fs.getAttribute("data-question");
      if (local(qid) || inFlight[qid]) out.push(qid);
    });
    return out;
  }

  // --- what the page says ------------------------------------------------------------------
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
  function status() {
    var waiting = pendingIds();
    var bad = Object.keys(refused);
    if (bad.length) {
      say("Not saved: " + bad.length + " entr" + (bad.length === 1 ? "y needs" : "ies need") + " attention (marked)", "bad");
    } else if (waiting.some(function (q) { return inFlight[q]; }) && !offline) {
      say("Saving…");
    } else if (waiting.length) {
      say("Not saved yet: " + waiting.length + " entr" + (waiting.length === 1 ? "y" : "ies") + " kept in this browser, retrying", "warn");
    } else {
      var t = new Date();  // only shown, never compared with the server's time
      say("All changes saved · " + t.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), "ok");
    }
  }
  function problem(fs, text) {
    fs.querySelector("[data-problem]").textContent = text || "";
    fs.classList.toggle("has-problem", !!text);
  }
  function note(fs, selector, html) {
    var el = fs.querySelector(selector);
    el.hidden = !html;
    el.textContent = "";
    if (html) el.appendChild(html);
  }
  function counter(fs) {
    var box = fs.querySelector("textarea"), el = fs.querySelector("[data-counter]");
    var max = Number(box.getAttribute("data-max")), n = box.value.length;
    el.hidden = n < max * 0.9;
    el.textContent = n.toLocaleString("en") + " of " + max.toLocaleString("en") + " characters";
    el.classList.toggle("over", n > max);
    return n <= max ? null : "Too long: " + n.toLocaleString("en") + " of " + max.toLocaleString("en") +
      " characters. Nothing was cut; shorten it by " + (n - max).toLocaleString("en") + " to save it.";
  }
  function conflict(fs, lead, lost, restore) {
    var box = document.createElement("div");
    var p = document.createElement("p"), q = document.createElement("p");
    p.innerHTML = "<strong></strong>";
    p.firstChild.textContent = lead;
    q.className = "conflict-lost";
    q.textContent = lost;
    box.appendChild(p); box.appendChild(q);
    var use = document.createElement("button");
    use.type = "button"; use.className = "text-button"; use.textContent = "Use that text instead";
    use.addEventListener("click", function () { restore(); note(fs, "[data-conflict]", null); });
    var close = document.createElement("button");
    close.type = "button"; close.className = "text-button"; close.textContent = "Dismiss";
    close.addEventListener("click", function () { note(fs, "[data-conflict]", null); });
    box.appendChild(use); box.appendChild(document.createTextNode(" · ")); box.appendChild(close);
    note(fs, "[data-conflict]", box);
  }

  // --- saving --------------------------------------------------------------------------------
  function setVersion(fs, version) {
    fs.setAttribute("data-version", String(version));
    fs.querySelector("[data-version-field]").value = String(version);
  }
  function stored(fs, entry, data) {
    var qid = entry.qid;
    known[qid] = { version: data.version, value: entry.value, notes: entry.notes };
    setVersion(fs, data.version);
    var now = local(qid);
    if (now && now.value === entry.value && now.notes === entry.notes) drop(qid);
    if (data.replaced) {
      var other = data.replaced;
      conflict(fs, "Saved. This replaced an entry made in another tab or device, which read:",
        describe(fs, other), function () { show(fs, other.value, other.notes); changed(fs, 0); });
    }
  }

  // One save per entry at a time; an edit made meanwhile goes right after. The promise
  // settles when the entry is stored or given up, so Submit waits for saves on their way.
  function send(qid) {
    var entry = local(qid), fs = fieldsetOf(qid);
    if (inFlight[qid]) { again[qid] = true; return inFlight[qid]; }
    if (!entry || !fs || refused[qid]) return Promise.resolve();
    inFlight[qid] = post(fs, entry, true).then(function () {
      inFlight[qid] = null;
      if (again[qid]) { again[qid] = false; return send(qid); }
      status();
    });
    status();
    return inFlight[qid];
  }

  function post(fs, entry, mayRetry) {
    var body = new URLSearchParams({ value: entry.value, notes: entry.notes, base: String(entry.base) });
    return fetch(fs.getAttribute("data-save-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "X-Requested-With": "fetch", "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        setToken(data.csrf_token);
        offline = false;
        if (response.ok && data.stored) {
          lostEl.hidden = true;
          document.querySelector("[data-answered]").textContent = data.answered;
          document.querySelector("[data-progress]").value = data.answered;
          problem(fs, data.problem);
          stored(fs, entry, data);
          return;
        }
        if (response.status === 400 && data.csrf_token && mayRetry) return post(fs, entry, false);
        if (response.status === 401) { lostEl.hidden = false; retryLater(); return; }
        if (response.status >= 500 || !data.error) { retryLater(); return; }
        refused[entry.qid] = data.error;  // a refusal: retrying the same entry cannot help
        problem(fs, "Not saved: " + data.error);
      });
    }, function () { offline = true; retryLater(); });
  }

  function retryLater() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 5000);
  }
  function flush() {
    return Promise.all(pendingIds().map(send)).then(status);
  }

  function entryOf(fs) {
    var qid = fs.getAttribute("data-question");
    return { qid: qid, value: valueOf(fs), notes: fs.querySelector("textarea").value, base: known[qid].version };
  }
  function changed(fs, delay) {
    var entry = entryOf(fs);
    keep(entry);
    delete refused[entry.qid];
    var tooLong = counter(fs);
    clearTimeout(timers[entry.qid]);
    if (tooLong) {
      refused[entry.qid] = tooLong;
      problem(fs, tooLong);
    } else {
      if (fs.querySelector("[data-problem]").textContent.indexOf("Too long") === 0) problem(fs, "");
      timers[entry.qid] = setTimeout(function () { send(entry.qid); }, delay);
    }
    status();
  }

  // --- a rating changes only by a deliberate act, and every change shows with an Undo -----
  var shownValue = {};
  function ratingChanged(fs) {
    var qid = fs.getAttribute("data-question"), before = shownValue[qid] || "", after = valueOf(fs);
    shownValue[qid] = after;
    if (before === after) return;
    var box = document.createElement("span");
    box.textContent = (fs.getAttribute("data-keys") !== null ? "Rating " : "Changed: ") +
      labelOf(fs, before) + " → " + labelOf(fs, after) + " ";
    var undo = document.createElement("button");
    undo.type = "button"; undo.className = "text-button"; undo.setAttribute("data-undo", "");
    undo.textContent = "Undo";
    undo.addEventListener("click", function () {
      fs.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = r.value === before; });
      ratingChanged(fs);
      changed(fs, 0);
    });
    box.appendChild(undo);
    note(fs, "[data-change]", box);
  }

  form.addEventListener("change", function (event) {
    var fs = event.target.closest("fieldset[data-question]");
    if (fs && event.target.type === "radio") { ratingChanged(fs); changed(fs, 0); }
  });
  form.addEventListener("input", function (event) {
    var fs = event.target.closest("fieldset[data-question]");
    if (fs && event.target.tagName === "TEXTAREA") changed(fs, 800);
  });

  // --- keys 1-5 and N: for the question last touched or focused; the bar names it ----------
  function setCurrent(fs) {
    if (!fs || fs.getAttribute("data-keys") === null || fs === current) return;
    if (current) current.classList.remove("is-current");
    current = fs;
    fs.classList.add("is-current");
    targetEl.hidden = false;
    targetEl.textContent = "Keys 1–5 and N rate question " + fs.getAttribute("data-number");
  }
  document.addEventListener("pointerdown", function (event) {
    setCurrent(event.target.closest && event.target.closest("fieldset[data-keys]"));
  });
  document.addEventListener("focusin", function (event) {
    setCurrent(event.target.closest && event.target.closest("fieldset[data-keys]"));
  });
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (!current || event.ctrlKey || event.metaKey || event.altKey) return;
    if (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "radio") || t.tagName === "SELECT") return;
    var key = event.key.toLowerCase();
    var value = key === "n" ? "nc" : ("12345".indexOf(key) >= 0 && key.length === 1 ? key : null);
    var radio = value && current.querySelector('input[type="radio"][value="' + value + '"]');
    if (!radio) return;
    event.preventDefault();
    if (!radio.checked) radio.click();
  });

  // --- edits made elsewhere (another tab or device) are shown here, never silently lost ----
  function poll() {
    fetch(form.getAttribute("data-entries-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        Object.keys(data.entries).forEach(function (qid) {
          var fs = fieldsetOf(qid), there = data.entries[qid];
          if (!fs || there.version <= known[qid].version || local(qid) || inFlight[qid]) return;
          var here = { value: valueOf(fs), notes: fs.querySelector("textarea").value };
          known[qid] = there;
          setVersion(fs, there.version);
          if (here.value === there.value && here.notes === there.notes) return;
          show(fs, there.value, there.notes);
          shownValue[qid] = there.value;
          conflict(fs, "Changed in another tab or device; this now shows what is stored. What this page had:",
            describe(fs, here), function () { show(fs, here.value, here.notes); changed(fs, 0); });
        });
      }, function () {});
  }
  setInterval(poll, POLL_MS);
  window.addEventListener("focus", poll);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });

  // --- submitting: everything typed is stored first, with the freshest token --------------
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-flushed")) return;
    event.preventDefault();
    var submitter = event.submitter;
    Object.keys(timers).forEach(function (q) { clearTimeout(timers[q]); });
    flush().then(function () {
      return fetch(form.getAttribute("data-token-url"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (data) { setToken(data.csrf_token); }, function () {});
    }).then(function () {
      var waiting = pendingIds();
      if (waiting.length) {  // not stored: the page stays as it is, and says where
        status();
        fieldsetOf(waiting[0]).querySelector("textarea").focus();
        return;
      }
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
    if (pendingIds().length && !form.getAttribute("data-flushed")) { event.preventDefault(); event.returnValue = ""; }
  });
  window.addEventListener("online", flush);

  // --- starting: what the server stored, then entries this browser still holds -------------
  fieldsets().forEach(function (fs) {
    var qid = fs.getAttribute("data-question");
    known[qid] = { version: Number(fs.getAttribute("data-version")) || 0, value: valueOf(fs), notes: fs.querySelector("textarea").value };
    shownValue[qid] = valueOf(fs);
    counter(fs);
  });
  adopt();
  measureStickyBars();
  var summary = document.getElementById("problems");
  if (summary) summary.focus();
  flush();

  // Nothing focusable may hide under the sticky bars (WCAG 2.4.11): the page scrolls with
  // a padding as tall as each bar, measured whenever one changes size.
  function measureStickyBars() {
    var head = document.querySelector(".interview-head");
    var foot = document.querySelector(".sticky-actions");
    function measure() {
      var root = document.documentElement.style;
      root.setProperty("--sticky-top", ((head ? head.offsetHeight : 0) + 12) + "px");
      root.setProperty("--sticky-bottom", ((foot ? foot.offsetHeight : 0) + 12) + "px");
    }
    measure();
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(measure);
      if (head) watch.observe(head);
      if (foot) watch.observe(foot);
    }
  }

  // Entries kept by an earlier page of this interview (a closed tab, a sign-in after the
  // session ended) that differ from what is stored are put back and saved: their save
  // arrives later, so it wins, and the page is told if it replaced something unseen.
  function adopt() {
    var s = store();
    if (!s) return;
    var found = [];
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(KEY) === 0) found.push(k);
    }
    found.forEach(function (k) {
      var entry;
      try { entry = JSON.parse(s.getItem(k)); } catch (e) { entry = null; }
      s.removeItem(k);
      var fs = entry && fieldsetOf(entry.qid);
      if (!fs) return;
      var have = known[entry.qid];
      if (entry.value === have.value && entry.notes === have.notes) return;
      show(fs, entry.value, entry.notes);
      shownValue[entry.qid] = entry.value;
      keep(entry);
    });
  }
})();

// The browser's time zone, kept in a cookie: the server takes it as a person's zone at
// their first sign-in, and shows times in it until they have one (account/reader.py).
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "zone=" + zone + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  document.querySelectorAll("[data-browser-zone]").forEach(function (el) { el.textContent = zone; });
  document.querySelectorAll("[data-browser-zone-note]").forEach(function (el) { el.hidden = false; });
})();

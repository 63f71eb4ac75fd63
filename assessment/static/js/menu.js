// The menu is a <details>: folded behind one button on a narrow screen. On a wide screen
// app.css shows its content anyway; this opens it for real there, so assistive technology
// and the page agree that the links are shown. Without the script the CSS alone works.
(function () {
  "use strict";
  var menu = document.querySelector("details.menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  function follow() { menu.open = wide.matches; }
  follow();
  if (wide.addEventListener) wide.addEventListener("change", follow);
})();

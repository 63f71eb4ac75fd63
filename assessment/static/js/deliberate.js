// Answers change only by a deliberate act: a click or tap on a choice, or Space or Enter
// on the focused choice. Arrow keys move the focus between the choices of a group without
// choosing (a native radio group would choose as it moves); after a click the focus goes
// to the group's box, so the arrow keys then scroll the page as they do elsewhere.
// Shared by the interviewer's screen and the candidate's self-assessment.
(function () {
  "use strict";
  var STEP = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  var byPointer = false;

  function groupOf(radio) {
    var scope = radio.form || document;
    return Array.prototype.filter.call(scope.querySelectorAll('input[type="radio"]'), function (r) {
      return r.name === radio.name && !r.disabled;
    });
  }

  document.addEventListener("keydown", function (event) {
    byPointer = false;
    var radio = event.target;
    if (!radio || radio.type !== "radio" || event.altKey || event.ctrlKey || event.metaKey) return;
    if (STEP[event.key]) {
      event.preventDefault();
      var group = groupOf(radio);
      var next = group[group.indexOf(radio) + STEP[event.key]];
      if (next) next.focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();  // Enter would post the whole form
      if (!radio.checked) radio.click();
    }
  }, true);

  document.addEventListener("pointerdown", function () { byPointer = true; }, true);

  // A choice made with the pointer: the focus leaves the radio for its group's box (which
  // has tabindex="-1"), so the arrow keys scroll instead of walking the choices.
  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!byPointer || radio.type !== "radio") return;
    var box = radio.closest('[tabindex="-1"]');
    if (box) box.focus({ preventScroll: true });
  });
})();

// A Copy button for a read-only field (the invite link). Without this script the button
// stays hidden and the link can still be selected and copied by hand.
(function () {
  "use strict";

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    return new Promise(function (resolve, reject) {
      input.focus();
      input.select();
      try {
        if (document.execCommand("copy")) resolve(); else reject(new Error("copy refused"));
      } catch (error) {
        reject(error);
      }
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    var status = document.querySelector('[data-copy-status="' + input.id + '"]');
    function say(text) { if (status) status.textContent = text; }

    input.addEventListener("focus", function () { input.select(); });
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input).then(
        function () {
          button.textContent = "Copied";
          say(button.getAttribute("data-copied") ||
            "The link is copied. Paste it into your message to the candidate.");
          window.setTimeout(function () { button.textContent = "Copy"; }, 2500);
        },
        function () {
          input.focus();
          input.select();
          say("Copying was blocked by the browser: the link is selected, press Ctrl+C (or ⌘C).");
        }
      );
    });
  });
})();

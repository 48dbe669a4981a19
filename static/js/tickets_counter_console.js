// Counter console: single-key shortcuts for the buttons that show a <kbd> key.
(function () {
  "use strict";

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  function transfer() {
    var select = document.getElementById("transfer-target");
    if (!select) return;
    if (select.value) select.form.requestSubmit();
    else select.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typing(event.target)) return;
    // Only an action in flight holds the keys back, not the waiting list refreshing itself in the background.
    if (document.querySelector("#console.htmx-request, #console form.htmx-request")) return;
    var key = event.key.toUpperCase();
    if (key === "T") {
      event.preventDefault();
      transfer();
      return;
    }
    var button = document.querySelector('#console button[data-key="' + key + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
})();

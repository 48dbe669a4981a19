// Roster week: one add-a-shift pop-over open at a time, closed with Escape or a click elsewhere.
(function () {
  "use strict";

  function closeAll(except) {
    document.querySelectorAll("details.cell-add[open]").forEach(function (details) {
      if (details !== except) details.open = false;
    });
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.cell-add") || !details.open) return;
    closeAll(details);
    var first = details.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  }, true);

  document.addEventListener("click", function (event) {
    if (!event.target.closest("details.cell-add")) closeAll(null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeAll(null);
  });
})();

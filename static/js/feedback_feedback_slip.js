// The customer's slip at the counter: print once on arrival, and again on demand.
(function () {
  "use strict";

  document.querySelector("[data-print]").addEventListener("click", function () {
    window.print();
  });

  window.addEventListener("load", function () {
    window.print();
  });
})();

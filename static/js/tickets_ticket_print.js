// Printed ticket: print once on arrival, then go back to the kiosk for the next customer.
(function () {
  "use strict";

  var controls = document.querySelector(".print-controls");
  var kioskUrl = controls.dataset.kioskUrl;
  var returnMs = Number(controls.dataset.returnSeconds) * 1000;

  document.querySelector("[data-print]").addEventListener("click", function () {
    window.print();
  });

  window.addEventListener("load", function () {
    window.print();
    setTimeout(function () {
      window.location.assign(kioskUrl);
    }, returnMs);
  });
})();

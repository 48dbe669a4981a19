// Repair intake: "use this name and address" copies a known customer's details into the form.
(function () {
  "use strict";

  var form = document.getElementById("repair-form");
  if (!form) return;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-name]");
    if (!button) return;
    form.elements.customer_name.value = button.dataset.fillName;
    if (button.dataset.fillAddress) {
      form.elements.address.value = button.dataset.fillAddress;
      form.elements.address.dispatchEvent(new Event("input", { bubbles: true }));
    }
    form.elements.fault.focus();
  });

  form.addEventListener("submit", function (event) {
    if (form.classList.contains("busy")) event.preventDefault();
    form.classList.add("busy");
  });
  window.addEventListener("pageshow", function () {
    form.classList.remove("busy");
  });
})();

// Complaint intake: "use this name and address" copies a known customer's details; one submit per press.
(function () {
  "use strict";

  var form = document.getElementById("complaint-form");
  if (!form) return;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-name]");
    if (!button) return;
    form.elements.customer_name.value = button.dataset.fillName;
    if (button.dataset.fillAddress) form.elements.address.value = button.dataset.fillAddress;
    form.elements.category.focus();
  });

  form.addEventListener("submit", function (event) {
    if (form.classList.contains("busy")) event.preventDefault();
    form.classList.add("busy");
  });
  window.addEventListener("pageshow", function () {
    form.classList.remove("busy");
  });
})();

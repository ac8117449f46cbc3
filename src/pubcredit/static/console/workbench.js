/* Workbench behaviour: the phone menu and confirmation of destructive actions. Pages work without it. */
document.addEventListener("DOMContentLoaded", function () {
  var header = document.getElementById("site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Tables that turn into cards on a phone label each cell with its column's heading (unless the cell has one).
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (!cell.hasAttribute("data-label") && heads[i] && !cell.hasAttribute("colspan")) { cell.setAttribute("data-label", heads[i]); }
      });
    });
  });
  // <form data-confirm="…"> asks in the page's own dialog (components/confirm_dialog.html) before submitting.
  var dialog = document.getElementById("confirm-dialog");
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed === "1") { return; }
      event.preventDefault();
      var message = form.dataset.confirm;
      if (!dialog || typeof dialog.showModal !== "function") {
        if (window.confirm(message)) { form.dataset.confirmed = "1"; form.submit(); }
        return;
      }
      dialog.querySelector("[data-message]").textContent = message;
      dialog.returnValue = "";
      dialog.showModal();
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        if (dialog.returnValue === "confirm") { form.dataset.confirmed = "1"; form.requestSubmit ? form.requestSubmit() : form.submit(); }
      });
    });
  });
});

// Page behaviours wired by data-attributes, because the Content-Security-Policy forbids
// inline on*= handlers. One delegated listener per event covers content htmx swaps in later.
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });
})();

// "Check all" / "check none" buttons of the audit form's clause scope.
document.querySelectorAll("[data-check-all],[data-check-none]").forEach(function (button) {
  button.addEventListener("click", function () {
    var all = button.hasAttribute("data-check-all");
    document.querySelectorAll(button.getAttribute(all ? "data-check-all" : "data-check-none")).forEach(function (box) {
      if (!box.disabled) { box.checked = all; }
    });
  });
});

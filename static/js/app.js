// Clear the inline "add task" form after a successful add.
document.body.addEventListener("taskCreated", function (event) {
  var form = document.querySelector("form[data-quick-task]");
  if (form) { form.reset(); var title = form.querySelector("input[name=title]"); if (title) title.focus(); }
});

// The page's own behaviour lives here, not in inline handlers: the Content-Security-Policy
// refuses inline scripts (onchange=, hx-on).

// A checkbox marked data-autosubmit submits its form when ticked (task completion).
document.addEventListener("change", function (event) {
  var box = event.target.closest("[data-autosubmit]");
  if (box && box.form) { box.form.requestSubmit(); }
});

// After the inline "add task" form added a row, the "No tasks yet." placeholder goes.
document.body.addEventListener("htmx:afterRequest", function (event) {
  if (!event.detail.successful || !event.detail.elt.matches("form[data-quick-task]")) { return; }
  var placeholder = document.getElementById("no-tasks");
  if (placeholder) { placeholder.remove(); }
});

// A checkbox data-select-all="FORM" ticks or clears every task box of that form on the page
// (the lead's bulk changes on the task list).
document.addEventListener("change", function (event) {
  var all = event.target.closest("[data-select-all]");
  if (!all) { return; }
  var boxes = document.querySelectorAll('input[type=checkbox][name=task][form="' + all.dataset.selectAll + '"]');
  boxes.forEach(function (box) { box.checked = all.checked; });
});

// Clear the inline "add task" form after a successful add.
document.body.addEventListener("taskCreated", function (event) {
  var form = document.querySelector("form[data-quick-task]");
  if (form) { form.reset(); var title = form.querySelector("input[name=title]"); if (title) title.focus(); }
});

// Strings shown to people go through gettext() (Django's JavaScript catalogue, loaded before this
// file by base.html; `make messages` collects them into djangojs.po). Without the catalogue: English.
var gettext = window.gettext || function (text) { return text; };

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
// Phones: a table stacks into cards (static/css/app.css) and each cell shows its column's name,
// taken here from the table's header so no template repeats it.
function labelTableCells(root) {
  var tables = root.matches && root.matches("table") ? [root] : Array.prototype.slice.call(root.querySelectorAll("table.table"));
  var host = root.closest && root.closest("table");
  if (host) { tables.push(host); }
  tables.forEach(function (table) {
    var names = [];
    table.querySelectorAll(":scope > thead > tr:first-child > th, :scope > thead > tr:first-child > td").forEach(function (th) {
      var span = parseInt(th.getAttribute("colspan") || "1", 10);
      for (var i = 0; i < span; i++) { names.push(th.textContent.trim()); }
    });
    if (!names.length) { return; }
    table.querySelectorAll(":scope > tbody > tr").forEach(function (row) {
      var col = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var name = names[col];
        if (name && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) { cell.setAttribute("data-label", name); }
        col += parseInt(cell.getAttribute("colspan") || "1", 10);
      });
    });
  });
}

// A box that scrolls (a wide table or chart, a long list) must be reachable by keyboard: it gets
// tabindex=0 and a name, only while it actually scrolls.
function focusScrollBoxes(root) {
  var scope = root.querySelectorAll ? root : document;
  Array.prototype.forEach.call(scope.querySelectorAll("main *"), function (box) {
    var style = getComputedStyle(box);
    var scrollX = /auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1;
    var scrollY = /auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1;
    var scrolls = scrollX || scrollY;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-scroll-focus", "");
      if (box.tagName === "DIV" && !box.hasAttribute("role")) { box.setAttribute("role", "region"); }
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        var heading = box.closest(".card, section, main");
        heading = heading && heading.querySelector("h1, h2, h3, h4, .card-header");
        box.setAttribute("aria-label", (heading ? heading.textContent.trim() + " — " : "") + gettext("scrollable"));
      }
    } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("data-scroll-focus");
    }
  });
}

// The project menu's button names the section one is in.
function nameProjectSection() {
  var current = document.querySelector(".project-nav .nav-link.active");
  var label = document.querySelector("[data-project-section]");
  if (current && label) { label.textContent = current.textContent.trim(); }
}

function enhance(root) { labelTableCells(root); focusScrollBoxes(root); }
enhance(document);
nameProjectSection();
document.body.addEventListener("htmx:afterSwap", function (event) { enhance(event.detail.target); });
window.addEventListener("resize", function () { focusScrollBoxes(document); });

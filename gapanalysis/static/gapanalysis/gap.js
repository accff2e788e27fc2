// Keep the current clause visible in the clause navigation (a scrolling list beside the page),
// on load and after the navigation is refreshed by a save.
(function () {
  function centre() {
    var list = document.querySelector("#clause-nav .clause-list");
    var current = list && list.querySelector("[aria-current=page]");
    if (current) { list.scrollTop = current.offsetTop - list.clientHeight / 2; }
  }
  document.addEventListener("DOMContentLoaded", centre);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "clause-nav") { centre(); }
  });
})();

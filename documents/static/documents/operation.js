// The heat map reads oldest to newest; on a narrow screen show the newest months first.
(function () {
  function scrollToNewest() {
    document.querySelectorAll(".heat-box:not([data-scrolled])").forEach(function (box) {
      box.scrollLeft = box.scrollWidth;
      box.setAttribute("data-scrolled", "1");
    });
  }
  document.addEventListener("DOMContentLoaded", scrollToNewest);
  document.addEventListener("htmx:afterSettle", scrollToNewest);
  if (document.readyState !== "loading") scrollToNewest();
})();

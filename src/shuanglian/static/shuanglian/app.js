// Small behaviours on top of htmx. The pages work without this file.
(function () {
  "use strict";
  // After the main panel is swapped, start at its top and move focus there for screen readers.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "main") {
      window.scrollTo(0, 0);
      target.focus({ preventScroll: true });
    }
  });
  // Print buttons (the Content-Security-Policy allows no inline handlers, so no onclick="window.print()").
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });
})();

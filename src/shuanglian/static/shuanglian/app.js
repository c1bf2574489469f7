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
})();

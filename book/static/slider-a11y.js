// Screen readers announce a slider by its accessible name and its value text.
// The ipywidgets slider (noUiSlider) gives its handle neither: no name, and the
// position *index* as value text ("3" where the reader sees "0.01"). Name each
// handle of a course slider (.l2-slider) after the slider's visible label and
// make its value text the visible readout, so it is announced as "λ, 0.01".
// Widgets are drawn after the page loads and redrawn as they move, so this
// watches the page rather than running once.
(function () {
  "use strict";
  var labelCount = 0;

  function describe(slider) {
    var handle = slider.querySelector("[role=slider]");
    var label = slider.querySelector(".widget-label");
    var readout = slider.querySelector(".widget-readout");
    if (!handle || !label) {
      return;
    }
    if (!label.id) {
      labelCount += 1;
      label.id = "l2-slider-label-" + labelCount;
    }
    if (handle.getAttribute("aria-labelledby") !== label.id) {
      handle.setAttribute("aria-labelledby", label.id);
    }
    // ipywidgets writes the missing tooltip as the text "null".
    if (label.getAttribute("title") === "null") {
      label.removeAttribute("title");
    }
    var value = readout ? readout.textContent.trim() : "";
    if (value && handle.getAttribute("aria-valuetext") !== value) {
      handle.setAttribute("aria-valuetext", value);
    }
  }

  function describeAll() {
    document.querySelectorAll(".l2-slider").forEach(describe);
  }

  // Each call changes attributes only when they differ, so the changes it
  // makes itself end the loop on the next pass.
  new MutationObserver(describeAll).observe(document.documentElement, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-valuenow", "aria-valuetext"],
  });
  document.addEventListener("DOMContentLoaded", describeAll);
})();

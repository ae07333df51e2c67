// The ipywidgets HTML manager typesets widget labels through the MathJax 2
// API, MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]). The book loads
// MathJax 3, which has no Hub, so the call throws. Translate it to MathJax 3's
// typesetPromise once MathJax 3 has replaced its configuration object.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.MathJax || window.MathJax.Hub) {
    return;
  }
  window.MathJax.Hub = {
    Queue: function (command) {
      var element = Array.isArray(command) ? command[2] : undefined;
      if (element && window.MathJax.startup) {
        window.MathJax.startup.promise.then(function () {
          return window.MathJax.typesetPromise([element]);
        });
      }
    },
  };
});

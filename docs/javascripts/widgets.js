/* The one place that mounts the site's widgets, loaded after the scripts that
   define them. Each widget's root in the page says what it is, data-widget="name";
   LR.widgets[name](root, signal) mounts it, listening with `signal` and returning
   an optional function that undoes what the signal cannot (timers). Material's
   document$ emits on every page view, first load and instant navigation alike:
   the previous page's widgets are undone, then this page's mounted. */
(function () {
  "use strict";
  const widgets = (globalThis.LR ||= {}).widgets || {};
  let undoPrevious = () => {};

  function mountAll() {
    undoPrevious();
    const controller = new AbortController();
    const undos = [];
    for (const root of document.querySelectorAll("[data-widget]")) {
      const mount = widgets[root.dataset.widget];
      if (!mount || root.hasAttribute("data-mounted")) continue;
      root.setAttribute("data-mounted", "");
      const undo = mount(root, controller.signal);
      if (typeof undo === "function") undos.push(undo);
    }
    undoPrevious = () => {
      controller.abort();
      for (const undo of undos) undo();
    };
  }

  if (window.document$) window.document$.subscribe(mountAll);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();

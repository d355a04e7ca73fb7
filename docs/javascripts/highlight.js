/* Code blocks coloured when a reader comes to them. Pygments' colours cost one
   element per token, thousands on a code-heavy page, so the page comes with every
   code block but its first in one colour and the block's highlighted HTML in a
   <template> (hooks/minify.py). When the block comes within a screen or two of
   the viewport, or a fold holding it opens, the highlighted code takes the plain
   text's place in the same <code>, so Material's copy button and a search's
   highlight still find it; before printing, every block. Without JavaScript a
   block shows the same code in one colour. */
(function () {
  "use strict";
  const widgets = ((globalThis.LR ||= {}).widgets ||= {});
  const NEAR = "1500px 0px"; // ahead of a fast scroll
  let observer = null;

  function highlight(pre) {
    const template = pre.querySelector(":scope > template");
    if (!template) return;
    pre.querySelector(":scope > code").replaceChildren(template.content);
    template.remove();
  }

  function highlightNear(entries) {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      highlight(entry.target);
    }
  }

  widgets.highlight = function (pre, signal) {
    if (!("IntersectionObserver" in window)) return highlight(pre);
    observer ||= new IntersectionObserver(highlightNear, { rootMargin: NEAR });
    observer.observe(pre); // a closed fold's block is not laid out: never near
    signal.addEventListener("abort", () => observer.unobserve(pre));
  };

  addEventListener("beforeprint", () => {
    for (const pre of document.querySelectorAll("pre > template")) highlight(pre.parentElement);
  });
})();

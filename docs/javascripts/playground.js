/* docs/playground.md: gradient descent on three surfaces, and the schedule explorer
   (curves from schedules.js). Mounted through Material's document$ on every page
   view (instant navigation); each mount undoes the previous one. */
(function () {
  "use strict";
  const N = 100; // gradient steps simulated
  const abs = Math.abs, log10 = Math.log10;
  const fmt = (x) => (x === 0 ? "0" : abs(x) >= 1e5 || abs(x) < 1e-3 ? x.toExponential(2) : String(+x.toPrecision(3)));
  const $ = (root, sel) => root.querySelector(sel);

  function svgEl(parent, tag, attrs, text) {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return parent.appendChild(e);
  }

  // A chart in `svg`: frame, ticks, axis labels, and a clipped area to draw in.
  function chart(svg, xr, yr, labels, ticks, log) {
    svg.textContent = "";
    const L = 52, T = 10, w = 260, h = 176, mid = T + h / 2;
    svg.setAttribute("viewBox", "0 0 320 220");
    const [y0, y1] = log ? yr.map(log10) : yr;
    const sx = (x) => L + ((x - xr[0]) / (xr[1] - xr[0])) * w;
    const sy = (y) => T + h - (((log ? log10(Math.max(y, yr[0])) : y) - y0) / (y1 - y0 || 1)) * h;
    const text = (x, y, s, anchor = "middle", more = {}) => svgEl(svg, "text", { x, y, "text-anchor": anchor, ...more }, s);
    svgEl(svg, "rect", { x: L, y: T, width: w, height: h, class: "frame" });
    text(L + w / 2, 216, labels[0]);
    text(10, mid, labels[1], "middle", { transform: `rotate(-90 10 ${mid})` });
    for (const x of ticks[0]) text(sx(x), T + h + 13, fmt(x));
    const decade = (y) => log && abs(log10(y) - Math.round(log10(y))) < 1e-9;
    for (const y of ticks[1]) text(L - 3, sy(y) + 3, decade(y) ? "1e" + Math.round(log10(y)) : fmt(y), "end");
    const area = svgEl(svg, "svg", { x: L, y: T, width: w, height: h, viewBox: `${L} ${T} ${w} ${h}` });
    const clip = (v) => Math.max(-1e4, Math.min(1e4, v)).toFixed(1);
    const path = (pts, cls) => svgEl(area, "path", { class: cls, d: pts.map(([x, y], i) => (i ? "L" : "M") + clip(sx(x)) + " " + clip(sy(y))).join("") });
    return { sx, sy, area, path };
  }

  /* ---- Gradient descent ---- */
  const C = 0.25; // tilt of the double well w^4/4 - w^2/2 + C w
  const dwL = (w) => w ** 4 / 4 - w * w / 2 + C * w;
  const dwMin = [-1.1, 0.84].map((w) => { for (let i = 0; i < 50; i++) w -= (w ** 3 - w + C) / (3 * w * w - 1); return w; });
  const dwLam = dwMin.map((m) => 3 * m * m - 1); // L'' at the minima
  const SURF = {
    q1: { lam: [2], x0: [4], L: ([w]) => (w - 1) ** 2, g: ([w]) => [2 * (w - 1)], xr: [-3, 5], yr: [0, 16], pre: [0.02, 0.3, 1.05] },
    q2: { lam: [1, 10], x0: [-4, 1.5], L: ([x, y]) => (x * x + 10 * y * y) / 2, g: ([x, y]) => [x, 10 * y], xr: [-5, 5], yr: [-2.5, 2.5], pre: [0.01, 0.18, 0.21] },
    dw: { x0: [2], L: ([w]) => dwL(w) - dwL(dwMin[0]), g: ([w]) => [w ** 3 - w + C], xr: [-2, 2.3], yr: [0, 4], pre: [0.01, 0.4, 0.7] },
  };

  // The points of steps 0 to N; on divergence, the last is the first past 10⁶.
  const out = (p) => !p.every((v) => abs(v) < 1e6);
  function descend(s, eta) {
    const pts = [s.x0];
    while (pts.length <= N && !out(pts[pts.length - 1])) {
      const p = pts[pts.length - 1], g = s.g(p);
      pts.push(p.map((v, i) => v - eta * g[i]));
    }
    return pts;
  }

  // A slider notch (log10 of η, 0.01 apart) as the roundest rate within half a notch:
  // 10^-0.22 = 0.603 shows as 0.6, so the rates the page names can be set.
  const notchRate = (v) => {
    for (const digits of [1, 2]) {
      const x = +(10 ** v).toPrecision(digits);
      if (abs(log10(x) - v) <= 0.005) return x;
    }
    return +(10 ** v).toPrecision(3);
  };

  // Steps for the loss to fall a millionfold when each step scales it by rho².
  const steps6 = (rho) => Math.ceil(Math.log(1e6) / (-2 * Math.log(rho)));
  const SLOW = ` needs more than the ${N} steps shown to fall a millionfold`;

  function quadStatus(s, eta) {
    const lmax = Math.max(...s.lam), rho = Math.max(...s.lam.map((l) => abs(1 - eta * l)));
    const e = `η = ${fmt(eta)}`, edge = `2/λ_max = ${fmt(2 / lmax)}`, f = `1 − ηλ_max = ${fmt(1 - eta * lmax)}`;
    if (eta > 2 / lmax) return `Diverging: ${e} > ${edge}. Along the steepest direction each step multiplies the distance to the minimum by ${f}: every overshoot is larger.`;
    if (rho > 1 - 1e-12) return `On the edge: ${e} = ${edge}. The steps jump between two points for ever.`;
    const k = steps6(rho), osc = eta > 1 / lmax;
    if (k > N) return `Slow: ${e}. ${osc ? "It oscillates, and t" : "T"}he slowest direction shrinks by only a factor ${fmt(rho)} per step, so the loss${SLOW} (about ${k}).`;
    return (osc ? `Oscillating but converging: 1/λ_max = ${fmt(1 / lmax)} < ${e} < ${edge}, so each step jumps past the minimum along the steepest direction (factor ${f}) but lands closer.`
      : `Converging: ${e} ≤ 1/λ_max = ${fmt(1 / lmax)}, so no step crosses the minimum.`) + ` The loss falls a millionfold in about ${k} steps.`;
  }

  function dwStatus(eta, pts) {
    const local = ` Locally, steps settle at a minimum only if η < 2/L'' there (${fmt(2 / dwLam[0])} at the deeper one, ${fmt(2 / dwLam[1])} at the shallower); that says nothing of which minimum a start leads to, nor of far away, where L'' = 3w² − 1 keeps growing.`;
    if (out(pts[pts.length - 1])) return `Diverging: |w| passed 10⁶ at step ${pts.length - 1}${eta < 2 / dwLam[0] ? ", though η is below both local limits" : ""}. Far from the minima the slope grows like w³: an overshoot lands where the next step is larger still.` + local;
    const w = pts[N][0], i = abs(w - dwMin[0]) < abs(w - dwMin[1]) ? 0 : 1, r = 1 - eta * dwLam[i];
    const which = `${i ? "shallower (local)" : "deeper (global)"} minimum at w = ${fmt(dwMin[i])}`;
    if (abs(w - dwMin[i]) < 1e-3) {
      const how = steps6(abs(r)) > N ? "Slow" : r < 0 ? "Oscillating but converging" : "Converging";
      return `${how}: to the ${which}, each step scaling the distance by 1 − ηL'' = ${fmt(r)}.${i ? " The gradient there is zero: gradient descent stays, and never finds the deeper minimum." : ""}` + local;
    }
    if (abs(r) > 1) return `Not converging: the steps bounce around the ${which}, where η > 2/L'', yet stay bounded, which a quadratic never does.` + local;
    return `Slow: after ${N} steps w = ${fmt(w)} is still ${fmt(abs(w - dwMin[i]))} from the ${which}.` + local;
  }

  function mountDescent(root, signal, timers) {
    const lr = $(root, "input[type=range]"), sel = $(root, "select"), play = $(root, "[data-act=play]");
    const [pathSvg, lossSvg] = root.querySelectorAll("svg");
    let eta = 0, pts = [], shown = N, timer = 0;
    const press = (on) => { play.textContent = on ? "Pause" : "Play"; play.setAttribute("aria-pressed", on); };
    const stop = () => { clearInterval(timer); timers.delete(timer); timer = 0; press(false); };

    function draw() {
      const s = SURF[sel.value], last = Math.min(shown, pts.length - 1), upto = pts.slice(0, last + 1);
      const loss = pts.map(s.L), two = s.x0.length === 2, p = pts[last];
      const xy = two ? upto : upto.map((q) => [q[0], s.L(q)]);
      const c = chart(pathSvg, s.xr, s.yr, two ? ["x", "y"] : ["w", "L(w) − L*"], two ? [[-4, 0, 4], [-2, 0, 2]] : [[s.xr[0], 0, s.xr[1]], s.yr]);
      if (two) {
        for (const v of [0.1, 0.5, 2, 8, 32]) svgEl(c.area, "ellipse", { cx: c.sx(0), cy: c.sy(0), rx: c.sx(Math.sqrt(2 * v)) - c.sx(0), ry: c.sy(0) - c.sy(Math.sqrt(v / 5)), class: "contour" });
      } else {
        c.path(Array.from({ length: 121 }, (_, i) => { const x = s.xr[0] + ((s.xr[1] - s.xr[0]) * i) / 120; return [x, s.L([x])]; }), "curve");
      }
      c.path(xy, "traj");
      for (const [x, y] of xy) svgEl(c.area, "circle", { cx: c.sx(x), cy: c.sy(y), r: 2.5, class: "pt" });
      // Loss, log scale: decades from the smallest positive loss (30 at most) to the largest.
      const pos = loss.filter((v) => v > 0), hi = Math.max(...pos, 1e-300);
      const e1 = Math.ceil(log10(hi)), e0 = Math.floor(log10(Math.max(Math.min(...pos, hi / 10), hi * 1e-30)));
      const yt = []; for (let e = e1; e >= e0; e -= Math.ceil((e1 - e0) / 4)) yt.push(10 ** e);
      chart(lossSvg, [0, N], [10 ** e0, 10 ** e1], ["step", "L − L* (log scale)"], [[0, 50, 100], yt], true).path(loss.slice(0, last + 1).map((v, i) => [i, v]), "loss");
      // No template inside a template: the minifier (rjsmin) drops the inner one's spaces.
      const where = two ? "(x, y) = (" + p.map(fmt).join(", ") + ")" : "w = " + fmt(p[0]);
      $(root, ".lrp-info").textContent = `Step ${last} of ${pts.length - 1}: ${where}, L − L* = ${fmt(loss[last])}.`;
    }

    function update(v) {
      eta = v;
      $(root, "output").textContent = fmt(eta);
      lr.setAttribute("aria-valuetext", `η = ${fmt(eta)}`);
      const s = SURF[sel.value];
      pts = descend(s, eta);
      $(root, ".lrp-status").textContent = s.lam ? quadStatus(s, eta) : dwStatus(eta, pts);
      draw();
    }
    const setEta = (v) => { lr.value = log10(v); update(v); };

    lr.addEventListener("input", () => update(notchRate(+lr.value)), { signal });
    sel.addEventListener("change", () => { stop(); update(eta); }, { signal });
    root.addEventListener("click", (ev) => {
      const b = ev.target.closest("button"), act = b && b.dataset.act;
      if (!b) return;
      if (b.dataset.preset) { stop(); shown = N; setEta(SURF[sel.value].pre[+b.dataset.preset]); }
      if (act === "reset" || act === "step") { stop(); shown = act === "step" ? Math.min(shown + 1, pts.length - 1) : 0; draw(); }
      if (act === "play") {
        if (timer) return stop();
        if (shown >= pts.length - 1) shown = 0;
        press(true);
        timer = setInterval(() => { shown++; draw(); if (shown >= pts.length - 1) stop(); }, 80);
        timers.add(timer);
      }
    }, { signal });
    root.hidden = false;
    setEta(SURF[sel.value].pre[1]);
  }

  /* ---- Schedule explorer ---- */
  function mountExplorer(root, signal) {
    const S = window.LRSchedules, sel = $(root, "select"), form = $(root, ".lrp-params");
    const [lrSvg, momSvg] = root.querySelectorAll("svg"), code = $(root, "pre code"), msg = $(root, ".lrp-status");
    const el = (tag, props) => Object.assign(document.createElement(tag), props);

    function fields() {
      form.textContent = "";
      for (const [k, t, v, help, lo, hi] of S.SPECS[sel.value]) {
        let input;
        if (t === "c") {
          input = el("select");
          for (const o of lo) input.add(new Option(o, o, false, o === v));
        } else if (t === "b") input = el("input", { type: "checkbox", checked: v });
        else if (t === "l") input = el("input", { value: v.join(", ") });
        else {
          const [a, b] = S.range(t, lo, hi);
          input = el("input", { type: "number", step: t === "i" ? 1 : "any", min: a, max: b, value: v });
        }
        input.name = k;
        const label = el("label");
        label.append(el("code", { textContent: k }), el("small", { textContent: help }), input);
        form.append(label);
      }
    }

    function read() {
      const p = {};
      for (const [k, t] of S.SPECS[sel.value]) {
        const e = form.elements[k];
        p[k] = t === "b" ? e.checked : t === "c" ? e.value : t === "l" ? e.value.split(",").filter((x) => x.trim()).map(Number) : e.value === "" ? NaN : +e.value;
      }
      return p;
    }

    function render() {
      let p, r;
      try { p = read(); r = S.run(sel.value, p); } catch (err) { msg.textContent = `Not drawn: ${err.message}.`; return; }
      const n = r.lr.length;
      const plot = (svg, ys, label, zero, log) => {
        const hi = Math.max(...ys), lo = log ? Math.min(...ys.filter((y) => y > 0), hi) : Math.min(zero, ...ys);
        chart(svg, [0, Math.max(1, n - 1)], [lo, hi > lo ? hi : log ? hi * 10 : hi || 1], ["step", label], [[0, n - 1], [lo, hi]], log).path(ys.map((y, i) => [i, y]), "lr");
      };
      plot(lrSvg, r.lr, "learning rate", 0, $(root, "input[name=log]").checked);
      lrSvg.setAttribute("aria-label", `Learning rate over ${n} steps: from ${fmt(r.lr[0])}, highest ${fmt(Math.max(...r.lr))}, to ${fmt(r.lr[n - 1])}.`);
      momSvg.toggleAttribute("hidden", !r.momentum);
      if (r.momentum) plot(momSvg, r.momentum, "momentum", Infinity);
      code.textContent = S.code(sel.value, p);
      msg.textContent = `${sel.value}: lr ${fmt(r.lr[0])} at step 0, ${fmt(r.lr[n - 1])} at step ${n - 1}.`;
    }

    sel.addEventListener("change", () => { fields(); render(); }, { signal });
    for (const type of ["input", "change"]) root.addEventListener(type, (ev) => ev.target !== sel && render(), { signal });
    root.hidden = false;
    fields();
    render();
  }

  let cleanup = null;
  function mount() {
    if (cleanup) cleanup();
    const ac = new AbortController(), timers = new Set();
    cleanup = () => { ac.abort(); timers.forEach(clearInterval); };
    const gd = document.getElementById("lrp-descent"), ex = document.getElementById("lrp-explorer");
    if (gd) mountDescent(gd, ac.signal, timers);
    if (ex && window.LRSchedules) mountExplorer(ex, ac.signal);
  }
  if (window.document$) window.document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();

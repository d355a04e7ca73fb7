/* docs/playground.md's widgets: gradient descent on a loss surface
   (data-widget="descent", maths in lib/descent.js) and the schedule explorer
   (data-widget="explorer", curves from lib/schedules.js). widgets.js mounts them
   on every page view. */
(function () {
  "use strict";
  const LR = globalThis.LR, descent = LR.descent, schedules = LR.schedules;
  const format = descent.format, log10 = Math.log10;
  const SVG_NS = "http://www.w3.org/2000/svg";

  function svgChild(parent, tag, attributes, text) {
    const element = document.createElementNS(SVG_NS, tag);
    for (const name in attributes) element.setAttribute(name, attributes[name]);
    if (text !== undefined) element.textContent = text;
    return parent.appendChild(element);
  }

  function htmlChild(tag, properties) {
    return Object.assign(document.createElement(tag), properties);
  }

  /* A chart in `svg`: frame, ticks, axis labels and a clipped area to draw in.
     options: x and y ([low, high]), xLabel, yLabel, xTicks, yTicks, log (y),
     right (a second y axis), viewWidth (320 unless the chart is wider). */
  function drawChart(svg, options) {
    const { x: xRange, y: yRange, log = false, right, viewWidth = 320 } = options;
    const left = 52, top = 16, width = viewWidth - (right ? 104 : 60), height = 170, middle = top + height / 2;
    svg.textContent = "";
    svg.setAttribute("viewBox", `0 0 ${viewWidth} 220`);
    const [yLow, yHigh] = log ? yRange.map(log10) : yRange;
    const toX = (x) => left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * width;
    const toY = (y) => top + height - (((log ? log10(Math.max(y, yRange[0])) : y) - yLow) / (yHigh - yLow || 1)) * height;
    const label = (x, y, text, anchor = "middle", more = {}) =>
      svgChild(svg, "text", { x, y, "text-anchor": anchor, ...more }, text);
    svgChild(svg, "rect", { x: left, y: top, width, height, class: "frame" });
    label(left + width / 2, 216, options.xLabel);
    label(10, middle, options.yLabel, "middle", { transform: `rotate(-90 10 ${middle})` });
    for (const x of options.xTicks) label(toX(x), top + height + 13, format(x));
    const isDecade = (y) => log && Math.abs(log10(y) - Math.round(log10(y))) < 1e-9;
    for (const y of options.yTicks) label(left - 3, toY(y) + 3, isDecade(y) ? "1e" + Math.round(log10(y)) : format(y), "end");
    // A second value axis on the right (right: {y, label, ticks}), linear.
    const toRightY = right && ((y) => top + height - ((y - right.y[0]) / (right.y[1] - right.y[0] || 1)) * height);
    if (right) {
      const edge = viewWidth - 18;
      label(edge, middle, right.label, "middle", { transform: `rotate(90 ${edge} ${middle})` });
      for (const y of right.ticks) label(left + width + 3, toRightY(y) + 3, format(y), "start");
    }
    const area = svgChild(svg, "svg", { x: left, y: top, width, height, viewBox: `${left} ${top} ${width} ${height}` });
    const clip = (v) => Math.max(-1e4, Math.min(1e4, v)).toFixed(1);
    const line = (points, className, yScale = toY) => svgChild(area, "path", {
      class: className,
      d: points.map(([x, y], i) => (i ? "L" : "M") + clip(toX(x)) + " " + clip(yScale(y))).join(""),
    });
    return { toX, toY, toRightY, area, line, top, height, right: left + width, viewWidth };
  }

  /* Hover, or keyboard focus, on a chart shows the step under it and the values
     there, in the chart and in the widget's aria-live readout. Keys: arrows move
     a step, Page Up and Page Down ten, Home and End to the ends.
     readout.show({chart, count, marks(i): [[x, y, toY?]...], say(i): text, short(i):
     a shorter text for the chart, line: false for no line at the step}) after
     each drawing; the chart is redrawn from scratch, so the cursor is too. */
  function attachReadout(svg, live, signal) {
    let shown = null, index = -1;
    svg.setAttribute("tabindex", "0");
    const at = (i, [x, y, toY = shown.chart.toY]) => [shown.chart.toX(x), Math.max(-1e4, Math.min(1e4, toY(y)))];
    function draw() {
      svg.querySelector(".lrp-cursor")?.remove();
      if (!shown || index < 0) return;
      const { chart } = shown, marks = shown.marks(index), cursor = svgChild(svg, "g", { class: "lrp-cursor" });
      const [x] = at(index, marks[0]);
      if (shown.line !== false) svgChild(cursor, "line", { x1: x, x2: x, y1: chart.top, y2: chart.top + chart.height });
      for (const mark of marks) {
        const [cx, cy] = at(index, mark);
        if (isFinite(mark[1])) svgChild(cursor, "circle", { cx, cy, r: 3.5 });
      }
      const text = shown.say(index);
      svgChild(cursor, "text", { x: chart.right, y: chart.top - 4, "text-anchor": "end" }, shown.short ? shown.short(index) : text);
      live.textContent = text;
    }
    const moveTo = (i) => {
      index = Math.max(0, Math.min(shown.count - 1, i));
      draw();
    };
    const hide = () => {
      index = -1;
      draw();
      live.textContent = "";
    };
    svg.addEventListener("pointermove", (event) => {
      if (!shown) return;
      const box = svg.getBoundingClientRect(), scale = shown.chart.viewWidth / box.width;
      const px = (event.clientX - box.left) * scale, py = (event.clientY - box.top) * scale;
      let nearest = 0, best = Infinity;
      for (let i = 0; i < shown.count; i++) {
        const [x, y] = at(i, shown.marks(i)[0]);
        const distance = shown.line === false ? Math.hypot(x - px, y - py) : Math.abs(x - px);
        if (distance < best) [nearest, best] = [i, distance];
      }
      moveTo(nearest);
    }, { signal });
    svg.addEventListener("pointerleave", () => document.activeElement !== svg && hide(), { signal });
    svg.addEventListener("focus", () => shown && moveTo(Math.max(index, 0)), { signal });
    svg.addEventListener("blur", hide, { signal });
    svg.addEventListener("keydown", (event) => {
      const jumps = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
      if (!shown) return;
      if (event.key in jumps) moveTo(index + jumps[event.key]);
      else if (event.key === "Home") moveTo(0);
      else if (event.key === "End") moveTo(shown.count - 1);
      else return;
      event.preventDefault();
    }, { signal });
    return {
      show(what) {
        shown = what;
        if (index >= 0) moveTo(Math.min(index, what.count - 1));
      },
    };
  }

  /* ---- Gradient descent ---- */
  function mountDescent(root, signal) {
    const slider = root.querySelector("input[type=range]"), surfaceSelect = root.querySelector("select");
    const playButton = root.querySelector("[data-act=play]"), [pathSvg, lossSvg] = root.querySelectorAll("svg");
    const currentSurface = () => descent.SURFACES[surfaceSelect.value];
    const live = root.querySelector(".lrp-readout");
    const pathReadout = attachReadout(pathSvg, live, signal), lossReadout = attachReadout(lossSvg, live, signal);
    let rate = 0, points = [], shown = descent.STEPS, timer = 0;
    const showPlaying = (on) => {
      playButton.textContent = on ? "Pause" : "Play";
      playButton.setAttribute("aria-pressed", on);
    };
    const stop = () => {
      clearInterval(timer);
      timer = 0;
      showPlaying(false);
    };

    function draw() {
      const surface = currentSurface(), last = Math.min(shown, points.length - 1);
      const upToLast = points.slice(0, last + 1), losses = points.map(surface.loss);
      const twoD = surface.start.length === 2, point = points[last];
      const drawn = twoD ? upToLast : upToLast.map((p) => [p[0], surface.loss(p)]);
      const chart = drawChart(pathSvg, {
        x: surface.xRange, y: surface.yRange, xLabel: twoD ? "x" : "w", yLabel: twoD ? "y" : "L(w) − L*",
        xTicks: twoD ? [-4, 0, 4] : [surface.xRange[0], 0, surface.xRange[1]], yTicks: twoD ? [-2, 0, 2] : surface.yRange,
      });
      if (twoD) {
        for (const level of [0.1, 0.5, 2, 8, 32]) {
          svgChild(chart.area, "ellipse", {
            cx: chart.toX(0), cy: chart.toY(0), class: "contour",
            rx: chart.toX(Math.sqrt(2 * level)) - chart.toX(0), ry: chart.toY(0) - chart.toY(Math.sqrt(level / 5)),
          });
        }
      } else {
        const [low, high] = surface.xRange;
        chart.line(Array.from({ length: 121 }, (_, i) => {
          const w = low + ((high - low) * i) / 120;
          return [w, surface.loss([w])];
        }), "curve");
      }
      chart.line(drawn, "traj");
      // No template inside a template: the minifier (rjsmin) drops the inner one's spaces.
      const where = (p) => (twoD ? "(x, y) = (" + p.map(format).join(", ") + ")" : "w = " + format(p[0]));
      const say = (i) => `Step ${i}: ${where(points[i])}, L − L* = ${format(losses[i])}`;
      pathReadout.show({ chart, count: drawn.length, marks: (i) => [drawn[i]], say, line: false });
      for (const [x, y] of drawn) svgChild(chart.area, "circle", { cx: chart.toX(x), cy: chart.toY(y), r: 2.5, class: "pt" });
      // Loss, log scale: decades from the smallest positive loss (30 at most) to the largest.
      const positive = losses.filter((v) => v > 0), highest = Math.max(...positive, 1e-300);
      const top = Math.ceil(log10(highest));
      const bottom = Math.floor(log10(Math.max(Math.min(...positive, highest / 10), highest * 1e-30)));
      const decades = [];
      for (let e = top; e >= bottom; e -= Math.ceil((top - bottom) / 4)) decades.push(10 ** e);
      const lossChart = drawChart(lossSvg, {
        x: [0, descent.STEPS], y: [10 ** bottom, 10 ** top], xLabel: "step", yLabel: "L − L* (log scale)",
        xTicks: [0, 50, 100], yTicks: decades, log: true,
      });
      lossChart.line(losses.slice(0, last + 1).map((v, i) => [i, v]), "loss");
      lossReadout.show({ chart: lossChart, count: last + 1, marks: (i) => [[i, losses[i]]], say });
      root.querySelector(".lrp-info").textContent = `Step ${last} of ${points.length - 1}: ${where(point)}, L − L* = ${format(losses[last])}.`;
    }

    function update(newRate) {
      rate = newRate;
      root.querySelector("output").textContent = format(rate);
      slider.setAttribute("aria-valuetext", `η = ${format(rate)}`);
      const surface = currentSurface();
      points = descent.descend(surface, rate);
      root.querySelector(".lrp-status").textContent = descent.verdict(surface, rate, points);
      draw();
    }
    const setRate = (newRate) => {
      slider.value = log10(newRate);
      update(newRate);
    };

    slider.addEventListener("input", () => update(descent.notchRate(+slider.value)), { signal });
    surfaceSelect.addEventListener("change", () => {
      stop();
      update(rate);
    }, { signal });
    root.addEventListener("click", (event) => {
      const button = event.target.closest("button"), action = button && button.dataset.act;
      if (!button) return;
      if (button.dataset.preset) {
        stop();
        shown = descent.STEPS;
        setRate(currentSurface().presets[+button.dataset.preset]);
      }
      if (action === "reset" || action === "step") {
        stop();
        shown = action === "step" ? Math.min(shown + 1, points.length - 1) : 0;
        draw();
      }
      if (action === "play") {
        if (timer) return stop();
        if (shown >= points.length - 1) shown = 0;
        showPlaying(true);
        timer = setInterval(() => {
          shown++;
          draw();
          if (shown >= points.length - 1) stop();
        }, 80);
      }
    }, { signal });
    root.hidden = false;
    setRate(currentSurface().presets[1]);
    return stop;
  }

  /* ---- Schedule explorer ---- */

  // A field's value as its parameter type wants it.
  function parseField(input, type) {
    if (type === "b") return input.checked;
    if (type === "c" || type === "part") return input.value;
    if (type === "l") return input.value.split(",").filter((x) => x.trim()).map(Number);
    return input.value === "" ? NaN : +input.value;
  }

  function field([key, type, , help, low, high], path, value) {
    let input;
    if (type === "c") {
      input = htmlChild("select");
      for (const option of low) input.add(new Option(option, option, false, option === value));
    } else if (type === "b") input = htmlChild("input", { type: "checkbox", checked: value });
    else if (type === "l") input = htmlChild("input", { value: value.join(", ") });
    else {
      const [min, max] = schedules.range(type, low, high);
      input = htmlChild("input", { type: "number", step: type === "i" ? 1 : "any", min, max, value });
    }
    Object.assign(input, { name: path });
    input.dataset.type = type;
    const label = htmlChild("label");
    label.append(htmlChild("code", { textContent: key }), htmlChild("small", { textContent: help }), input);
    return label;
  }

  /* A chart of one value per step: its axis from `floor` (or the lowest value) to
     the highest, labelled at both ends. */
  function valueChart(values, label, floor, log) {
    const count = values.length, highest = Math.max(...values);
    const lowest = log ? Math.min(...values.filter((y) => y > 0), highest) : Math.min(floor, ...values);
    return {
      x: [0, Math.max(1, count - 1)], y: [lowest, highest > lowest ? highest : log ? highest * 10 : highest || 1],
      xLabel: "step", yLabel: label, xTicks: [0, count - 1], yTicks: [lowest, highest], log,
    };
  }

  const MAX_PARTS = 3;

  /* The fields of scheduler `name` set to `params`, into `parent`; a composite's
     schedulers each get a fieldset: which scheduler, then its own fields. */
  function buildFields(parent, name, params, prefix = "") {
    const specs = prefix ? schedules.partSpecs(name) : schedules.SPECS[name];
    const used = schedules.usedKeys(name, params);
    for (const spec of specs) {
      const key = spec[0];
      if (!used.includes(key)) continue;
      if (spec[1] !== "s") {
        parent.append(field(spec, prefix + key, params[key]));
        continue;
      }
      for (let i = 0; i < MAX_PARTS; i++) {
        const part = params[key][i], box = htmlChild("fieldset", { className: "lrp-part" });
        box.setAttribute("aria-label", `Scheduler ${i + 1}` + (part ? ": " + part.name : ""));
        const chooser = htmlChild("select", { name: `${key}.${i}` });
        chooser.dataset.type = "part";
        for (const option of [...(i >= 2 ? ["none"] : []), ...schedules.COMPOSABLE]) {
          chooser.add(new Option(option, option, false, option === (part ? part.name : "none")));
        }
        const label = htmlChild("label");
        label.append(htmlChild("strong", { textContent: `Scheduler ${i + 1}` }), chooser);
        box.append(label);
        if (part) buildFields(box, part.name, part.params, `${key}.${i}.`);
        parent.append(box);
        if (!part) break;
      }
    }
  }

  function mountExplorer(root, signal) {
    const schedulerSelect = root.querySelector("select[name=scheduler]"), paramsBox = root.querySelector(".lrp-params");
    const [lrSvg, secondSvg] = root.querySelectorAll("svg");
    const codeBox = root.querySelector("pre code"), statusBox = root.querySelector(".lrp-status");
    let params = {};

    function rebuild() {
      const focused = document.activeElement && document.activeElement.name;
      paramsBox.textContent = "";
      buildFields(paramsBox, schedulerSelect.value, params);
      if (focused && paramsBox.elements[focused]) paramsBox.elements[focused].focus();
    }

    /* A field changed: put its value where its name says (schedulers.1.gamma is
       the second scheduler's gamma). A new scheduler in a slot, or a new lambda,
       changes which fields there are. */
    function take(input) {
      const path = input.name.split("."), type = input.dataset.type, value = parseField(input, type);
      let target = params;
      if (path.length === 3) target = params.schedulers[+path[1]].params;
      const key = path[path.length - 1];
      if (type === "part") {
        const parts = params.schedulers, slot = +path[1];
        if (value === "none") parts.splice(slot);
        else parts[slot] = schedules.complete("ChainedScheduler", { schedulers: [{ name: value, params: {} }] }).schedulers[0];
        const milestones = params.milestones;
        if (milestones) { // one fewer than the schedulers, as SequentialLR wants
          milestones.splice(parts.length - 1);
          while (milestones.length < parts.length - 1) milestones.push((milestones[milestones.length - 1] || 0) + 30);
        }
        rebuild();
      } else {
        target[key] = value;
        if (key === "lr_lambda") rebuild();
      }
    }

    const live = root.querySelector(".lrp-readout");
    const readouts = new Map([lrSvg, secondSvg].map((svg) => [svg, attachReadout(svg, live, signal)]));

    function plot(svg, values, label, floor, log) {
      const chart = drawChart(svg, valueChart(values, label, floor, log));
      chart.line(values.map((y, i) => [i, y]), "lr");
      readouts.get(svg).show({
        chart, count: values.length, marks: (i) => [[i, values[i]]], say: (i) => `Step ${i}: ${label} ${format(values[i])}`,
      });
    }

    function render() {
      const name = schedulerSelect.value;
      let curve;
      try {
        curve = schedules.run(name, params);
      } catch (error) {
        statusBox.textContent = `Not drawn: ${error.message}.`;
        return;
      }
      const lrs = curve.lr, count = lrs.length, second = curve.momentum || curve.metric;
      plot(lrSvg, lrs, "learning rate", 0, root.querySelector("input[name=log]").checked);
      lrSvg.setAttribute("aria-label", `Learning rate over ${count} steps: from ${format(lrs[0])}, highest ${format(Math.max(...lrs))}, to ${format(lrs[count - 1])}.`);
      secondSvg.toggleAttribute("hidden", !second);
      if (second) {
        const what = curve.momentum ? "momentum" : "validation loss";
        plot(secondSvg, second, what, curve.momentum ? Infinity : 0);
        secondSvg.setAttribute("aria-label", `${what[0].toUpperCase() + what.slice(1)} per step`);
      }
      codeBox.textContent = schedules.code(name, params);
      statusBox.textContent = `${name}: lr ${format(lrs[0])} at step 0, ${format(lrs[count - 1])} at step ${count - 1}.`;
      train(lrs);
    }

    function choose(name, overrides = {}) {
      schedulerSelect.value = name;
      params = schedules.complete(name, overrides);
      rebuild();
      render();
    }

    /* ---- Train with it: noisy SGD stepped by the schedule drawn ---- */
    const trainBox = root.querySelector(".lrp-train"), trainStatus = root.querySelector(".lrp-train-status");
    const trainSvg = root.querySelector(".lrp-train-chart"), noiseSlider = trainBox.elements.noise;
    const trainKey = root.querySelector(".lrp-key");
    const trainReadout = attachReadout(trainSvg, root.querySelector(".lrp-train-readout"), signal);
    let lesson = "";

    function train(lrs) {
      const surface = descent.SURFACES[trainBox.elements.surface.value], noise = +noiseSlider.value;
      const draw = Math.max(1, Math.round(+trainBox.elements.draw.value) || 1);
      trainBox.querySelector("output").textContent = format(noise);
      noiseSlider.setAttribute("aria-valuetext", `σ = ${format(noise)}`);
      const losses = descent.train(surface, lrs, noise, draw), count = losses.length;
      const positive = losses.filter((v) => v > 0), highest = Math.max(...positive, 1e-12);
      const top = Math.ceil(Math.log10(highest)), bottom = Math.max(top - 12, Math.floor(Math.log10(Math.min(...positive, highest / 10))));
      const decades = [];
      for (let e = top; e >= bottom; e -= Math.ceil((top - bottom) / 4)) decades.push(10 ** e);
      const lrHigh = Math.max(...lrs) || 1, steps = lrs.length;
      const chart = drawChart(trainSvg, {
        x: [0, steps], y: [10 ** bottom, 10 ** top], log: true, xLabel: "step", yLabel: "loss L − L* (log)",
        xTicks: [0, steps], yTicks: decades, right: { y: [0, lrHigh], label: "learning rate", ticks: [0, lrHigh] },
        viewWidth: Math.max(320, Math.min(640, Math.round(trainSvg.clientWidth))), // text stays its size
      });
      // The loss at each step (faint), its mean over the last 10 steps (bold), the
      // noise floor of each step's rate on a quadratic (dotted), the rate (dashed).
      const rateAt = (i) => lrs[Math.min(i, steps - 1)];
      const smooth = losses.map((_, i) => {
        const window = losses.slice(Math.max(0, i - 9), i + 1);
        return window.reduce((a, b) => a + b, 0) / window.length;
      });
      chart.line(lrs.map((rate, i) => [i, rate]), "rate", chart.toRightY);
      chart.line(losses.map((loss, i) => [i, loss]), "loss-step");
      const floors = surface.curvatures && noise > 0 ? lrs.map((rate) => descent.noiseFloor(surface, rate, noise)) : [];
      const floorDrawn = floors.length > 0 && floors.every((floor) => floor !== null);
      if (floorDrawn) chart.line(floors.map((floor, i) => [i, floor]), "floor");
      trainKey.querySelector("[data-key=floor]").hidden = !floorDrawn; // the key names what is drawn
      chart.line(smooth.map((loss, i) => [i, loss]), "loss");
      const floorAt = (i) => (floorDrawn ? ", noise floor " + format(floors[Math.min(i, steps - 1)]) : "");
      trainReadout.show({
        chart, count, marks: (i) => [[i, smooth[i]], [i, rateAt(i), chart.toRightY]],
        say: (i) => `Step ${i}: loss ${format(losses[i])} (mean of the last 10: ${format(smooth[i])}), lr ${format(rateAt(i))}${floorAt(i)}`,
        short: (i) => `Step ${i}: loss ${format(losses[i])}, mean ${format(smooth[i])}, lr ${format(rateAt(i))}`,
      });
      const tail = losses.slice(-10), settled = tail.reduce((a, b) => a + b, 0) / tail.length;
      let said = count <= steps || !isFinite(losses[count - 1]) ? `Diverged: the loss passed the cut-off at step ${count - 1}; the rate is too large for this surface.`
        : `The loss goes from ${format(losses[0])} to ${format(settled)} (the mean of the last 10 steps).`;
      const first = descent.noiseFloor(surface, lrs[0], noise), last = descent.noiseFloor(surface, lrs[steps - 1], noise);
      if (first !== null && last !== null && noise > 0) {
        said += ` The noise floor, where the loss settles at a constant rate, is about ${format(first)} at the first rate, ${format(lrs[0])}, and ${format(last)} at the last, ${format(lrs[steps - 1])}.`;
      }
      trainStatus.textContent = lesson + said;
      trainSvg.setAttribute("aria-label", `Training loss (log scale, left axis) and learning rate (right axis) over ${count - 1} steps: the loss from ${format(losses[0])} to ${format(losses[count - 1])}, its mean over the last 10 steps to ${format(smooth[count - 1])}; the rate from ${format(lrs[0])} to ${format(rateAt(count - 1))}.`);
    }

    trainBox.addEventListener("input", () => {
      lesson = "";
      render();
    }, { signal });
    trainBox.addEventListener("click", (event) => {
      const button = event.target.closest("[data-lesson]");
      if (!button) return;
      const chosen = descent.LESSONS[+button.dataset.lesson];
      trainBox.elements.surface.value = "q1";
      noiseSlider.value = 1;
      lesson = chosen.lesson + " ";
      choose(chosen.name, chosen.params);
    }, { signal });

    // A lesson's sentence holds until the reader changes the schedule or the run.
    schedulerSelect.addEventListener("change", () => {
      lesson = "";
      choose(schedulerSelect.value);
    }, { signal });
    paramsBox.addEventListener("input", (event) => {
      lesson = "";
      take(event.target);
      render();
    }, { signal });
    paramsBox.addEventListener("change", (event) => {
      if (event.target.tagName === "SELECT" || event.target.type === "checkbox") return; // taken on input
      take(event.target);
      render();
    }, { signal });
    root.querySelector("input[name=log]").addEventListener("change", render, { signal });
    root.hidden = false;
    choose(schedulerSelect.value);
    return { choose };
  }

  Object.assign((LR.widgets ||= {}), { descent: mountDescent, explorer: mountExplorer });
})();

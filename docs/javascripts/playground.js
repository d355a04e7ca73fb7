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
     options: x and y ([low, high]), xLabel, yLabel, xTicks, yTicks, log (y). */
  function drawChart(svg, options) {
    const { x: xRange, y: yRange, log = false } = options;
    const left = 52, top = 10, width = 260, height = 176, middle = top + height / 2;
    svg.textContent = "";
    svg.setAttribute("viewBox", "0 0 320 220");
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
    const area = svgChild(svg, "svg", { x: left, y: top, width, height, viewBox: `${left} ${top} ${width} ${height}` });
    const clip = (v) => Math.max(-1e4, Math.min(1e4, v)).toFixed(1);
    const line = (points, className) => svgChild(area, "path", {
      class: className,
      d: points.map(([x, y], i) => (i ? "L" : "M") + clip(toX(x)) + " " + clip(toY(y))).join(""),
    });
    return { toX, toY, area, line };
  }

  /* ---- Gradient descent ---- */
  function mountDescent(root, signal) {
    const slider = root.querySelector("input[type=range]"), surfaceSelect = root.querySelector("select");
    const playButton = root.querySelector("[data-act=play]"), [pathSvg, lossSvg] = root.querySelectorAll("svg");
    const currentSurface = () => descent.SURFACES[surfaceSelect.value];
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
      for (const [x, y] of drawn) svgChild(chart.area, "circle", { cx: chart.toX(x), cy: chart.toY(y), r: 2.5, class: "pt" });
      // Loss, log scale: decades from the smallest positive loss (30 at most) to the largest.
      const positive = losses.filter((v) => v > 0), highest = Math.max(...positive, 1e-300);
      const top = Math.ceil(log10(highest));
      const bottom = Math.floor(log10(Math.max(Math.min(...positive, highest / 10), highest * 1e-30)));
      const decades = [];
      for (let e = top; e >= bottom; e -= Math.ceil((top - bottom) / 4)) decades.push(10 ** e);
      drawChart(lossSvg, {
        x: [0, descent.STEPS], y: [10 ** bottom, 10 ** top], xLabel: "step", yLabel: "L − L* (log scale)",
        xTicks: [0, 50, 100], yTicks: decades, log: true,
      }).line(losses.slice(0, last + 1).map((v, i) => [i, v]), "loss");
      // No template inside a template: the minifier (rjsmin) drops the inner one's spaces.
      const where = twoD ? "(x, y) = (" + point.map(format).join(", ") + ")" : "w = " + format(point[0]);
      root.querySelector(".lrp-info").textContent = `Step ${last} of ${points.length - 1}: ${where}, L − L* = ${format(losses[last])}.`;
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
  function mountExplorer(root, signal) {
    const schedulerSelect = root.querySelector("select"), paramsBox = root.querySelector(".lrp-params");
    const [lrSvg, momentumSvg] = root.querySelectorAll("svg");
    const codeBox = root.querySelector("pre code"), statusBox = root.querySelector(".lrp-status");

    function buildFields() {
      paramsBox.textContent = "";
      for (const [name, type, value, help, low, high] of schedules.SPECS[schedulerSelect.value]) {
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
        input.name = name;
        const label = htmlChild("label");
        label.append(htmlChild("code", { textContent: name }), htmlChild("small", { textContent: help }), input);
        paramsBox.append(label);
      }
    }

    function readFields() {
      const params = {};
      for (const [name, type] of schedules.SPECS[schedulerSelect.value]) {
        const input = paramsBox.elements[name];
        params[name] = type === "b" ? input.checked : type === "c" ? input.value
          : type === "l" ? input.value.split(",").filter((x) => x.trim()).map(Number)
            : input.value === "" ? NaN : +input.value;
      }
      return params;
    }

    function plot(svg, values, label, floor, log) {
      const count = values.length, highest = Math.max(...values);
      const lowest = log ? Math.min(...values.filter((y) => y > 0), highest) : Math.min(floor, ...values);
      drawChart(svg, {
        x: [0, Math.max(1, count - 1)], y: [lowest, highest > lowest ? highest : log ? highest * 10 : highest || 1],
        xLabel: "step", yLabel: label, xTicks: [0, count - 1], yTicks: [lowest, highest], log,
      }).line(values.map((y, i) => [i, y]), "lr");
    }

    function render() {
      const name = schedulerSelect.value;
      let params, curve;
      try {
        params = readFields();
        curve = schedules.run(name, params);
      } catch (error) {
        statusBox.textContent = `Not drawn: ${error.message}.`;
        return;
      }
      const lrs = curve.lr, count = lrs.length;
      plot(lrSvg, lrs, "learning rate", 0, root.querySelector("input[name=log]").checked);
      lrSvg.setAttribute("aria-label", `Learning rate over ${count} steps: from ${format(lrs[0])}, highest ${format(Math.max(...lrs))}, to ${format(lrs[count - 1])}.`);
      momentumSvg.toggleAttribute("hidden", !curve.momentum);
      if (curve.momentum) plot(momentumSvg, curve.momentum, "momentum", Infinity);
      codeBox.textContent = schedules.code(name, params);
      statusBox.textContent = `${name}: lr ${format(lrs[0])} at step 0, ${format(lrs[count - 1])} at step ${count - 1}.`;
    }

    schedulerSelect.addEventListener("change", () => {
      buildFields();
      render();
    }, { signal });
    for (const type of ["input", "change"]) {
      root.addEventListener(type, (event) => event.target !== schedulerSelect && render(), { signal });
    }
    root.hidden = false;
    buildFields();
    render();
  }

  Object.assign((LR.widgets ||= {}), { descent: mountDescent, explorer: mountExplorer });
})();

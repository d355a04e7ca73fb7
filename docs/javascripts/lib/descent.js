/* Gradient descent on the playground's three loss surfaces, without the page: the
   surfaces, the steps, and the sentence that says what a rate does there.
   snippets/playground/presets.py runs the same surfaces, starts and rates with
   torch.optim.SGD (tests/test_practice_pages.py checks they agree).
   LR.descent in the browser, module.exports in Node (tests/js/descent.test.js). */
(function () {
  "use strict";
  const STEPS = 100; // gradient steps simulated
  const CUTOFF = 1e6; // a run has diverged once a coordinate is this far out
  const abs = Math.abs, log10 = Math.log10;
  const format = (x) =>
    x === 0 ? "0" : abs(x) >= 1e5 || abs(x) < 1e-3 ? x.toExponential(2) : String(+x.toPrecision(3));

  const TILT = 0.25; // of the double well w^4/4 - w^2/2 + TILT w
  const wellLoss = (w) => w ** 4 / 4 - w * w / 2 + TILT * w;
  const wellMinima = [-1.1, 0.84].map((w) => {
    for (let i = 0; i < 50; i++) w -= (w ** 3 - w + TILT) / (3 * w * w - 1);
    return w;
  });
  const wellCurvatures = wellMinima.map((w) => 3 * w * w - 1); // L'' at the minima

  /* Each surface: its loss above the minimum, its gradient, its start, the plot's
     ranges, the rates of the presets too low, good and too high, and for the
     quadratics the curvatures (eigenvalues of the Hessian). */
  const SURFACES = {
    q1: {
      curvatures: [2], start: [4], loss: ([w]) => (w - 1) ** 2, gradient: ([w]) => [2 * (w - 1)],
      xRange: [-3, 5], yRange: [0, 16], presets: [0.02, 0.3, 1.05],
    },
    q2: {
      curvatures: [1, 10], start: [-4, 1.5], loss: ([x, y]) => (x * x + 10 * y * y) / 2,
      gradient: ([x, y]) => [x, 10 * y], xRange: [-5, 5], yRange: [-2.5, 2.5], presets: [0.01, 0.18, 0.21],
    },
    dw: {
      start: [2], loss: ([w]) => wellLoss(w) - wellLoss(wellMinima[0]), gradient: ([w]) => [w ** 3 - w + TILT],
      xRange: [-2, 2.3], yRange: [0, 4], presets: [0.01, 0.4, 0.7],
    },
  };

  const isOut = (point) => !point.every((v) => abs(v) < CUTOFF);

  /* The points of steps 0 to STEPS at rate `rate`; on divergence, the last point is
     the first past the cut-off. */
  function descend(surface, rate) {
    const points = [surface.start];
    while (points.length <= STEPS && !isOut(points[points.length - 1])) {
      const point = points[points.length - 1], slope = surface.gradient(point);
      points.push(point.map((v, i) => v - rate * slope[i]));
    }
    return points;
  }

  /* A slider notch (log10 of the rate, 0.01 apart) as the roundest rate within half
     a notch: 10^-0.22 = 0.603 shows as 0.6, so the rates the page names can be set. */
  function notchRate(notch) {
    for (const digits of [1, 2]) {
      const rate = +(10 ** notch).toPrecision(digits);
      if (abs(log10(rate) - notch) <= 0.005) return rate;
    }
    return +(10 ** notch).toPrecision(3);
  }

  // Steps for the loss to fall a millionfold when each step scales it by factor².
  const stepsToMillionth = (factor) => Math.ceil(Math.log(1e6) / (-2 * Math.log(factor)));
  const SLOW = ` needs more than the ${STEPS} steps shown to fall a millionfold`;

  function quadraticVerdict(surface, rate) {
    const steepest = Math.max(...surface.curvatures);
    const factor = Math.max(...surface.curvatures.map((curvature) => abs(1 - rate * curvature)));
    const eta = `η = ${format(rate)}`, edge = `2/λ_max = ${format(2 / steepest)}`;
    const along = `1 − ηλ_max = ${format(1 - rate * steepest)}`;
    if (rate > 2 / steepest) return `Diverging: ${eta} > ${edge}. Along the steepest direction each step multiplies the distance to the minimum by ${along}: every overshoot is larger.`;
    if (factor > 1 - 1e-12) return `On the edge: ${eta} = ${edge}. The steps jump between two points for ever.`;
    const steps = stepsToMillionth(factor), oscillates = rate > 1 / steepest;
    if (steps > STEPS) return `Slow: ${eta}. ${oscillates ? "It oscillates, and t" : "T"}he slowest direction shrinks by only a factor ${format(factor)} per step, so the loss${SLOW} (about ${steps}).`;
    return (oscillates
      ? `Oscillating but converging: 1/λ_max = ${format(1 / steepest)} < ${eta} < ${edge}, so each step jumps past the minimum along the steepest direction (factor ${along}) but lands closer.`
      : `Converging: ${eta} ≤ 1/λ_max = ${format(1 / steepest)}, so no step crosses the minimum.`) + ` The loss falls a millionfold in about ${steps} steps.`;
  }

  function wellVerdict(rate, points) {
    const [deep, shallow] = wellCurvatures;
    const local = ` Locally, steps settle at a minimum only if η < 2/L'' there (${format(2 / deep)} at the deeper one, ${format(2 / shallow)} at the shallower); that says nothing of which minimum a start leads to, nor of far away, where L'' = 3w² − 1 keeps growing.`;
    if (isOut(points[points.length - 1])) return `Diverging: |w| passed 10⁶ at step ${points.length - 1}${rate < 2 / deep ? ", though η is below both local limits" : ""}. Far from the minima the slope grows like w³: an overshoot lands where the next step is larger still.` + local;
    const w = points[STEPS][0], nearest = abs(w - wellMinima[0]) < abs(w - wellMinima[1]) ? 0 : 1;
    const factor = 1 - rate * wellCurvatures[nearest];
    const which = `${nearest ? "shallower (local)" : "deeper (global)"} minimum at w = ${format(wellMinima[nearest])}`;
    if (abs(w - wellMinima[nearest]) < 1e-3) {
      const how = stepsToMillionth(abs(factor)) > STEPS ? "Slow" : factor < 0 ? "Oscillating but converging" : "Converging";
      return `${how}: to the ${which}, each step scaling the distance by 1 − ηL'' = ${format(factor)}.${nearest ? " The gradient there is zero: gradient descent stays, and never finds the deeper minimum." : ""}` + local;
    }
    if (abs(factor) > 1) return `Not converging: the steps bounce around the ${which}, where η > 2/L'', yet stay bounded, which a quadratic never does.` + local;
    return `Slow: after ${STEPS} steps w = ${format(w)} is still ${format(abs(w - wellMinima[nearest]))} from the ${which}.` + local;
  }

  /* What rate `rate` does on `surface`, in a sentence (points: its descent). */
  const verdict = (surface, rate, points) =>
    surface.curvatures ? quadraticVerdict(surface, rate) : wellVerdict(rate, points);

  /* ---- Noisy SGD: training with a schedule ---- */

  /* Standard normal numbers from `seed`: Park–Miller uniforms, Box–Muller pairs. */
  function normals(seed) {
    let state = seed, spare = null;
    const uniform = () => (state = (state * 48271) % 2147483647) / 2147483647;
    return () => {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return value;
      }
      const radius = Math.sqrt(-2 * Math.log(uniform())), angle = 2 * Math.PI * uniform();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    };
  }

  /* SGD on `surface` at rate rates[k] for step k, each gradient plus mini-batch
     noise: a normal number times `noise` for each coordinate. The loss above the
     minimum before each step and after the last; a run stops past the cut-off. */
  function train(surface, rates, noise, seed) {
    const normal = normals(seed);
    let point = surface.start;
    const losses = [surface.loss(point)];
    for (const rate of rates) {
      if (isOut(point)) break;
      const slope = surface.gradient(point);
      point = point.map((v, i) => v - rate * (slope[i] + noise * normal()));
      losses.push(surface.loss(point));
    }
    return losses;
  }

  /* Where the loss of a quadratic settles at a constant rate: on average
     Σ ησ² / (2(2 − ηλ)) over its directions, so it falls with the rate. Null where
     the rate diverges, and on the double well, which has no single curvature. */
  function noiseFloor(surface, rate, noise) {
    if (!surface.curvatures || surface.curvatures.some((curvature) => rate * curvature >= 2)) return null;
    return surface.curvatures.reduce((sum, curvature) => sum + (rate * noise * noise) / (2 * (2 - rate * curvature)), 0);
  }

  /* The trainer's presets, the seed's lessons: a scheduler of lib/schedules.js and
     its parameters, on the 1-D quadratic with noise 1 (tests/js/descent.test.js
     checks that each run does what its sentence says). */
  const constantRate = (lr) => ({ lr, lr_lambda: "constant factor", factor: 1.0, steps: 200 });
  const LESSONS = [
    { name: "LambdaLR", params: constantRate(0.4),
      lesson: "Large steps: the loss falls fast, then stops falling, at the noise floor the rate sets." },
    { name: "LambdaLR", params: constantRate(0.004),
      lesson: "Small steps: the floor is low, but the loss takes most of the run to get near it." },
    { name: "MultiStepLR", params: { lr: 0.4, milestones: [50, 100], gamma: 0.1, steps: 200 },
      lesson: "Large steps first, then a lower rate: fast, and at each decay the floor falls and the loss settles lower." },
    { name: "CosineAnnealingLR", params: { lr: 0.4, T_max: 200, steps: 200 },
      lesson: "A cosine decay: the floor falls with the rate, smoothly, to the end." },
  ];

  const api = {
    LESSONS, STEPS, CUTOFF, TILT, SURFACES, format, isOut, descend, notchRate, verdict, normals, train, noiseFloor,
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.LR ||= {}).descent = api;
})();

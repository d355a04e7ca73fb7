/* torch.optim.lr_scheduler (torch 2.13) in JavaScript: the same recursive updates of
   group["lr"] in the same float operations, so curves match PyTorch to rounding.
   LR.schedules in the browser, module.exports in Node, where
   tests/test_playground_schedules.py compares it with PyTorch. */
(function () {
  "use strict";
  const PI = Math.PI, cos = Math.cos;
  const div = (a, b) => {
    if (b === 0) throw new Error("float division by zero, as in PyTorch");
    return a / b;
  };
  // [name, type (f float, i int, b bool, c choice, l int list), default, help, min, max];
  // min and max default to 0 and 10 for floats, 1 and 1000 for ints.
  const lr = ["lr", "f", 0.1, "SGD's lr", 1e-6];
  const steps = ["steps", "i", 100, "steps shown"];
  const gamma = ["gamma", "f", 0.1, "decay factor", 0, 1];
  const etaMin = ["eta_min", "f", 0, "lowest lr"];
  const moms = (lo, hi) => [["cycle_momentum", "b", true, "momentum opposite to lr"],
    ["base_momentum", "f", lo, "lowest momentum", 0, 1], ["max_momentum", "f", hi, "highest momentum", 0, 1]];
  const SPECS = {
    StepLR: [lr, ["step_size", "i", 30, "steps between decays"], gamma, steps],
    MultiStepLR: [lr, ["milestones", "l", [30, 80], "steps where lr decays"], gamma, steps],
    ConstantLR: [lr, ["factor", "f", 0.5, "lr multiplier", 1e-6, 1], ["total_iters", "i", 5, "steps until lr", 0], steps],
    LinearLR: [lr, ["start_factor", "f", 0.25, "first multiplier", 1e-6, 1], ["end_factor", "f", 1, "last multiplier", 0, 1],
      ["total_iters", "i", 5, "steps of the ramp"], steps],
    ExponentialLR: [lr, ["gamma", "f", 0.95, "factor per step", 0, 1], steps],
    PolynomialLR: [lr, ["total_iters", "i", 50, "steps to reach 0"], ["power", "f", 1, "power"], steps],
    CosineAnnealingLR: [lr, ["T_max", "i", 100, "steps of the half cosine"], etaMin, steps],
    CosineAnnealingWarmRestarts: [lr, ["T_0", "i", 20, "steps to the first restart"],
      ["T_mult", "i", 2, "period growth", 1, 10], etaMin, steps],
    CyclicLR: [["base_lr", "f", 0.001, "lowest lr"], ["max_lr", "f", 0.1, "highest lr"],
      ["step_size_up", "i", 20, "steps up"], ["step_size_down", "i", 20, "steps down"],
      ["mode", "c", "triangular", "shape", ["triangular", "triangular2", "exp_range"]],
      ["gamma", "f", 0.99, "exp_range: decay per step", 0, 1], ...moms(0.8, 0.9), steps],
    OneCycleLR: [["max_lr", "f", 0.1, "peak lr", 1e-6], ["total_steps", "i", 100, "steps (all shown)", 2],
      ["pct_start", "f", 0.3, "fraction going up", 0, 1], ["anneal_strategy", "c", "cos", "shape", ["cos", "linear"]],
      ["div_factor", "f", 25, "initial lr = max_lr / this", 1e-6, 1e6],
      ["final_div_factor", "f", 1e4, "min lr = initial lr / this", 1e-6, 1e9],
      ["three_phase", "b", false, "back to initial lr, then anneal"], ...moms(0.85, 0.95)],
    SequentialLR: [lr, ["start_factor", "f", 0.01, "LinearLR: first multiplier", 1e-6, 1],
      ["warmup", "i", 10, "LinearLR total_iters, milestone"], ["T_max", "i", 90, "CosineAnnealingLR T_max"],
      ["eta_min", "f", 0, "CosineAnnealingLR eta_min"], steps],
  };

  function defaults(name) {
    const p = {};
    for (const [k, , v] of SPECS[name]) p[k] = v;
    return p;
  }

  const range = (t, lo, hi) => (t === "i" ? [lo ?? 1, hi ?? 1000] : [lo ?? 0, hi ?? 10]);

  function check(name, p) {
    for (const [k, t, , , lo, hi] of SPECS[name]) {
      const v = p[k], [a, b] = range(t, lo, hi);
      if (t === "l" ? !(Array.isArray(v) && v.every(Number.isInteger)) : "fi".includes(t) && !(t === "f" ? isFinite(v) : Number.isInteger(v)))
        throw new Error(`${k} must be ${t === "f" ? "a number" : "whole numbers"}`);
      if ("fi".includes(t) && (v < a || v > b)) throw new Error(`${k} must be between ${a} and ${b}`);
    }
  }

  /* Each maker returns get(g, e): PyTorch's get_lr() at last_epoch e, updating the
     param group g ({lr, initial_lr, momentum}); e = 0 is the constructor's step. */
  const MAKERS = {
    StepLR: (p) => (g, e) => { if (e && e % p.step_size === 0) g.lr = g.lr * p.gamma; },
    MultiStepLR: (p) => (g, e) => {
      const n = p.milestones.filter((m) => m === e).length;
      if (n) g.lr = g.lr * p.gamma ** n;
    },
    ConstantLR: (p) => (g, e) => {
      if (e === 0) g.lr = g.lr * p.factor;
      else if (e === p.total_iters) g.lr = g.lr * (1.0 / p.factor);
    },
    LinearLR: (p) => (g, e) => {
      const d = p.end_factor - p.start_factor;
      if (e === 0) g.lr = g.lr * p.start_factor;
      else if (e <= p.total_iters) g.lr = g.lr * (1.0 + d / (p.total_iters * p.start_factor + (e - 1) * d));
    },
    ExponentialLR: (p) => (g, e) => { if (e) g.lr = g.lr * p.gamma; },
    PolynomialLR: (p) => (g, e) => {
      const T = p.total_iters;
      if (e && e <= T) g.lr = g.lr * ((1.0 - e / T) / (1.0 - (e - 1) / T)) ** p.power;
    },
    CosineAnnealingLR: (p) => (g, e) => {
      const T = p.T_max, m = p.eta_min;
      if (!e) return;
      if ((e - 1 - T) % (2 * T) === 0) g.lr = g.lr + ((g.initial_lr - m) * (1 - cos(PI / T))) / 2;
      else g.lr = ((1 + cos((PI * e) / T)) / (1 + cos((PI * (e - 1)) / T))) * (g.lr - m) + m;
    },
    CosineAnnealingWarmRestarts(p) {
      let tcur = -1, ti = p.T_0;
      return (g) => {
        tcur = tcur + 1;
        if (tcur >= ti) { tcur = tcur % ti; ti = ti * p.T_mult; }
        g.lr = p.eta_min + ((g.initial_lr - p.eta_min) * (1 + cos((PI * tcur) / ti))) / 2;
      };
    },
    CyclicLR(p) {
      const total = p.step_size_up + p.step_size_down, ratio = p.step_size_up / total;
      const scale = (x) => (p.mode === "triangular" ? 1.0 : p.mode === "triangular2" ? 1 / 2.0 ** (x - 1) : p.gamma ** x);
      return (g, e) => {
        const cycle = Math.floor(1 + e / total), x = 1.0 + e / total - cycle;
        const f = x <= ratio ? x / ratio : (x - 1) / (ratio - 1), s = scale(p.mode === "exp_range" ? e : cycle);
        g.lr = p.base_lr + (p.max_lr - p.base_lr) * f * s;
        if (p.cycle_momentum) g.momentum = p.max_momentum - (p.max_momentum - p.base_momentum) * f * s;
      };
    },
    OneCycleLR(p) {
      const T = p.total_steps, a = p.pct_start * T, three = p.three_phase;
      // Phases: end step, and the lr and momentum they go between (i: initial lr,
      // x: max_lr, n: min lr, M: max_momentum, b: base_momentum).
      const ends = three ? [a - 1, 2 * a - 2, T - 1] : [a - 1, T - 1];
      const lrs = three ? "ixin" : "ixn", moms = three ? "MbMM" : "MbM";
      const anneal = p.anneal_strategy === "cos"
        ? (s, t, pct) => t + ((s - t) / 2.0) * (cos(PI * pct) + 1)
        : (s, t, pct) => (t - s) * pct + s;
      return (g, e) => {
        const i0 = p.max_lr / p.div_factor;
        const v = { i: i0, x: p.max_lr, n: i0 / p.final_div_factor, M: p.max_momentum, b: p.base_momentum };
        let start = 0.0, i = 0;
        while (e > ends[i] && i < ends.length - 1) start = ends[i++];
        const pct = div(e - start, ends[i] - start);
        g.lr = anneal(v[lrs[i]], v[lrs[i + 1]], pct);
        if (p.cycle_momentum) g.momentum = anneal(v[moms[i]], v[moms[i + 1]], pct);
      };
    },
    SequentialLR(p) {
      // LinearLR warm-up, then CosineAnnealingLR from last_epoch 0 (its closed form).
      const W = p.warmup, m = p.eta_min;
      const warm = MAKERS.LinearLR({ start_factor: p.start_factor, end_factor: 1.0, total_iters: W });
      const cosine = MAKERS.CosineAnnealingLR(p);
      return (g, e) => {
        if (e < W) warm(g, e);
        else if (e === W) g.lr = m + ((g.initial_lr - m) * (1 + cos((PI * 0) / p.T_max))) / 2;
        else cosine(g, e - W);
      };
    },
  };

  /* The lr (and momentum where the scheduler cycles it) seen by optimizer.step() at
     each of n steps: [0] right after construction, [k] after k scheduler.step(). */
  function run(name, p) {
    check(name, p);
    const n = name === "OneCycleLR" ? p.total_steps : p.steps;
    const g = { lr: p.lr ?? p.base_lr, initial_lr: p.lr ?? p.base_lr, momentum: 0.9 };
    const get = MAKERS[name](p), lr = [], momentum = "cycle_momentum" in p && p.cycle_momentum ? [] : null;
    for (let e = 0; e < n; e++) {
      get(g, e);
      lr.push(g.lr);
      if (momentum) momentum.push(g.momentum);
    }
    return { lr, momentum };
  }

  // Python literals: floats keep a ".0" so PyTorch's isinstance checks pass.
  function py(v, t) {
    if (t === "b") return v ? "True" : "False";
    if (t === "c") return JSON.stringify(v);
    if (t === "l") return "[" + v.join(", ") + "]";
    const s = String(v);
    return t === "f" && /^-?\d+$/.test(s) ? s + ".0" : s;
  }

  function call(target, fn, args) {
    const one = `${target} = ${fn}(${args.join(", ")})`;
    if (one.length <= 88) return one;
    return `${target} = ${fn}(\n    ${args.join(",\n    ")},\n)`;
  }

  // A standalone script that reproduces run(name, p) in PyTorch.
  function code(name, p) {
    const spec = SPECS[name], kw = (keys) => keys.map((k) => {
      const s = spec.find((x) => x[0] === k);
      return `${k}=${py(p[k], s[1])}`;
    });
    const own = spec.map((s) => s[0]).filter((k) => k !== "lr" && k !== "steps");
    const optArgs = ["model.parameters()"];
    if ("lr" in defaults(name)) optArgs.push(`lr=${py(p.lr, "f")}`);
    optArgs.push("momentum=0.9");
    const L = ["import torch", "from torch.optim import lr_scheduler", "",
      "model = torch.nn.Linear(10, 1)", call("optimizer", "torch.optim.SGD", optArgs)];
    if (name === "SequentialLR") {
      L.push(call("warmup", "lr_scheduler.LinearLR",
        ["optimizer", `start_factor=${py(p.start_factor, "f")}`, `total_iters=${p.warmup}`]));
      L.push(call("cosine", "lr_scheduler.CosineAnnealingLR",
        ["optimizer", `T_max=${p.T_max}`, `eta_min=${py(p.eta_min, "f")}`]));
      L.push(call("scheduler", "lr_scheduler.SequentialLR",
        ["optimizer", "schedulers=[warmup, cosine]", `milestones=[${p.warmup}]`]));
    } else {
      L.push(call("scheduler", "lr_scheduler." + name, ["optimizer"].concat(kw(own))));
    }
    const n = name === "OneCycleLR" ? p.total_steps : p.steps;
    const cycles = run(name, p).momentum;
    L.push("", "lrs" + (cycles ? ", momentums = [], []" : " = []"), `for step in range(${n}):`,
      "    lrs.append(scheduler.get_last_lr()[0])");
    if (cycles) L.push('    momentums.append(optimizer.param_groups[0]["momentum"])');
    L.push("    optimizer.step()  # in training: forward pass and loss.backward() first",
      "    scheduler.step()", 'print(f"lr: first {lrs[0]:.6g}, max {max(lrs):.6g}, last {lrs[-1]:.6g}")');
    return L.join("\n") + "\n";
  }

  const api = { SPECS, range, defaults, run, code };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.LR ||= {}).schedules = api;
})();

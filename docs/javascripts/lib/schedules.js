/* torch.optim.lr_scheduler and swa_utils.SWALR (torch 2.13) in JavaScript: the same
   objects (a constructor that steps once, step(), the _update_lr(0) SequentialLR
   calls at a milestone), the same recursive updates of group["lr"] in the same
   float operations, so curves match PyTorch to rounding, quirks included.
   LR.schedules in the browser, module.exports in Node, where
   tests/test_playground_schedules.py compares it with PyTorch. */
(function () {
  "use strict";
  const PI = Math.PI, cos = Math.cos;
  const divide = (a, b) => {
    if (b === 0) throw new Error("float division by zero, as in PyTorch");
    return a / b;
  };

  /* The functions of the step that LambdaLR and MultiplicativeLR take, as people
     write them: `uses` are their parameters, `python` their source with the
     numbers written in, `make` the same function in JavaScript. */
  const LAMBDAS = {
    "linear warm-up": {
      uses: ["warmup"],
      python: (p) => `min(1.0, (step + 1) / ${p.warmup})`,
      make: (p) => (step) => Math.min(1.0, (step + 1) / p.warmup),
    },
    "inverse square root": {
      uses: ["warmup"],
      python: (p) => `min((step + 1) / ${p.warmup}, math.sqrt(${p.warmup} / (step + 1)))`,
      make: (p) => (step) => Math.min((step + 1) / p.warmup, Math.sqrt(p.warmup / (step + 1))),
    },
    "warmup-stable-decay": {
      uses: ["warmup", "stable", "decay"],
      python: (p) => `min((step + 1) / ${p.warmup}, 1.0, max(0.0, (${p.warmup + p.stable + p.decay} - step) / ${p.decay}))`,
      make: (p) => (step) => Math.min((step + 1) / p.warmup, 1.0, Math.max(0.0, (p.warmup + p.stable + p.decay - step) / p.decay)),
    },
    "constant factor": {
      uses: ["factor"],
      python: (p) => literal(p.factor, "f"),
      make: (p) => () => p.factor,
    },
    "factor every k steps": {
      uses: ["factor", "every"],
      python: (p) => `${literal(p.factor, "f")} if step % ${p.every} == 0 else 1.0`,
      make: (p) => (step) => (step % p.every === 0 ? p.factor : 1.0),
    },
  };
  const LAMBDA_KEYS = ["warmup", "stable", "decay", "factor", "every"];

  // A parameter: [name, type (f float, i int, b bool, c choice, l int list, s
  // schedulers), default, help, min (choices for c), max]; min and max default to
  // 0 and 10 for floats, 1 and 1000 for ints.
  const lr = ["lr", "f", 0.1, "SGD's lr", 1e-6];
  const steps = ["steps", "i", 100, "steps shown"];
  const gamma = ["gamma", "f", 0.1, "decay factor", 0, 1];
  const etaMin = ["eta_min", "f", 0, "lowest lr"];
  const momentums = (low, high) => [["cycle_momentum", "b", true, "momentum opposite to lr"],
    ["base_momentum", "f", low, "lowest momentum", 0, 1], ["max_momentum", "f", high, "highest momentum", 0, 1]];
  const lambdaParams = (choices, chosen, factor) => [
    ["lr_lambda", "c", chosen, "the function of the step", choices],
    ["warmup", "i", 10, "steps of warm-up"], ["stable", "i", 50, "steps at the full rate", 0],
    ["decay", "i", 40, "steps of the final decay"], ["factor", "f", factor, "the factor", 0, 10],
    ["every", "i", 10, "steps between factors"]];
  const part = (name, params = {}) => ({ name, params });
  const SPECS = {
    LambdaLR: [lr, ...lambdaParams(["linear warm-up", "inverse square root", "warmup-stable-decay", "constant factor"], "warmup-stable-decay", 0.5), steps],
    MultiplicativeLR: [lr, ...lambdaParams(["constant factor", "factor every k steps"], "constant factor", 0.95), steps],
    StepLR: [lr, ["step_size", "i", 30, "steps between decays"], gamma, steps],
    MultiStepLR: [lr, ["milestones", "l", [30, 80], "steps where lr decays"], gamma, steps],
    ConstantLR: [lr, ["factor", "f", 0.5, "lr multiplier", 1e-6, 1], ["total_iters", "i", 5, "steps until lr", 0], steps],
    LinearLR: [lr, ["start_factor", "f", 0.25, "first multiplier", 1e-6, 1], ["end_factor", "f", 1, "last multiplier", 0, 1],
      ["total_iters", "i", 5, "steps of the ramp"], steps],
    ExponentialLR: [lr, ["gamma", "f", 0.95, "factor per step", 0, 1], steps],
    PolynomialLR: [lr, ["total_iters", "i", 50, "steps to reach 0"], ["power", "f", 1, "power"], steps],
    CosineAnnealingLR: [lr, ["T_max", "i", 100, "steps of the half cosine"], etaMin, steps],
    ChainedScheduler: [lr, ["schedulers", "s", [part("LinearLR", { start_factor: 0.1, total_iters: 10 }),
      part("ExponentialLR", { gamma: 0.97 })], "stepped together: factors multiply"], steps],
    SequentialLR: [lr, ["schedulers", "s", [part("LinearLR", { start_factor: 0.01, total_iters: 10 }),
      part("CosineAnnealingLR", { T_max: 90 })], "one after another"],
    ["milestones", "l", [10], "steps where the next one takes over", 0], steps],
    ReduceLROnPlateau: [lr, ["mode", "c", "min", "better is lower, or higher", ["min", "max"]],
      ["factor", "f", 0.1, "lr multiplier on a plateau", 0, 0.999], ["patience", "i", 10, "bad epochs allowed", 0],
      ["threshold", "f", 1e-4, "smallest improvement that counts"],
      ["threshold_mode", "c", "rel", "threshold relative or absolute", ["rel", "abs"]],
      ["cooldown", "i", 0, "epochs to wait after a cut", 0], ["min_lr", "f", 0, "lowest lr"],
      ["eps", "f", 1e-8, "smallest change of lr made", 0, 1],
      ["plateau", "i", 30, "validation loss: epochs flat", 0], ["noise", "f", 0.02, "validation loss: noise", 0, 1],
      ["draw", "i", 1, "validation loss: random draw", 1, 2147483646], steps],
    CyclicLR: [["base_lr", "f", 0.001, "lowest lr"], ["max_lr", "f", 0.1, "highest lr"],
      ["step_size_up", "i", 20, "steps up"], ["step_size_down", "i", 20, "steps down"],
      ["mode", "c", "triangular", "shape", ["triangular", "triangular2", "exp_range"]],
      ["gamma", "f", 0.99, "exp_range: decay per step", 0, 1], ...momentums(0.8, 0.9), steps],
    OneCycleLR: [["max_lr", "f", 0.1, "peak lr", 1e-6], ["total_steps", "i", 100, "steps (all shown)", 2],
      ["pct_start", "f", 0.3, "fraction going up", 0, 1], ["anneal_strategy", "c", "cos", "shape", ["cos", "linear"]],
      ["div_factor", "f", 25, "initial lr = max_lr / this", 1e-6, 1e6],
      ["final_div_factor", "f", 1e4, "min lr = initial lr / this", 1e-6, 1e9],
      ["three_phase", "b", false, "back to initial lr, then anneal"], ...momentums(0.85, 0.95)],
    CosineAnnealingWarmRestarts: [lr, ["T_0", "i", 20, "steps to the first restart"],
      ["T_mult", "i", 2, "period growth", 1, 10], etaMin, steps],
    SWALR: [lr, ["T_max", "i", 100, "CosineAnnealingLR before SWA: T_max"], ["swa_start", "i", 60, "last step before SWA", 0],
      ["swa_lr", "f", 0.02, "the rate SWA anneals to"], ["anneal_epochs", "i", 10, "steps of the anneal", 0],
      ["anneal_strategy", "c", "cos", "shape", ["cos", "linear"]], steps],
  };
  // What SequentialLR and ChainedScheduler can be built from here: the schedulers
  // that take the optimizer's lr (CyclicLR and OneCycleLR set their own, and
  // neither composite accepts ReduceLROnPlateau).
  const COMPOSABLE = ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
    "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "LambdaLR", "MultiplicativeLR"];
  const OWN = new Set(["lr", "steps"]); // the page's, not the scheduler's

  /* A scheduler inside a composite: its own parameters only. */
  const partSpecs = (name) => SPECS[name].filter(([key]) => !OWN.has(key));

  function defaults(name) {
    const params = {};
    for (const [key, , value] of SPECS[name]) params[key] = structuredClone(value);
    return params;
  }

  /* `params` with every missing parameter (a composite's parts' too) at its default. */
  function complete(name, params) {
    const full = Object.assign(defaults(name), params);
    if (full.schedulers) {
      full.schedulers = full.schedulers.map(({ name: partName, params: partParams }) => {
        const own = Object.fromEntries(partSpecs(partName).map(([key, , value]) => [key, structuredClone(value)]));
        return part(partName, Object.assign(own, partParams));
      });
    }
    return full;
  }

  /* The parameters that matter for these settings (a lambda's own only). */
  function usedKeys(name, params) {
    const keys = SPECS[name].map(([key]) => key);
    if (!params.lr_lambda) return keys;
    const uses = LAMBDAS[params.lr_lambda].uses;
    return keys.filter((key) => !LAMBDA_KEYS.includes(key) || uses.includes(key));
  }

  const range = (type, low, high) => (type === "i" ? [low ?? 1, high ?? 1000] : [low ?? 0, high ?? 10]);

  function check(name, params, specs = SPECS[name]) {
    for (const [key, type, , , low, high] of specs) {
      const value = params[key], [min, max] = range(type, low, high);
      if (type === "c" && !low.includes(value)) throw new Error(`${key} must be one of ${low.join(", ")}`);
      if (type === "l" ? !(Array.isArray(value) && value.every(Number.isInteger))
        : "fi".includes(type) && !(type === "f" ? isFinite(value) : Number.isInteger(value))) {
        throw new Error(`${key} must be ${type === "f" ? "a number" : "whole numbers"}`);
      }
      if ("fi".includes(type) && (value < min || value > max)) throw new Error(`${key} must be between ${min} and ${max}`);
    }
    if (name === "SequentialLR") {
      const { schedulers, milestones } = params;
      if (milestones.length !== schedulers.length - 1) {
        throw new Error(`milestones must have one number fewer than the ${schedulers.length} schedulers, as in PyTorch`);
      }
      if (milestones.some((milestone, i) => milestone < 0 || (i && milestone <= milestones[i - 1]))) throw new Error("milestones must increase from 0");
    }
    for (const { name: partName, params: partParams } of params.schedulers || []) {
      if (!COMPOSABLE.includes(partName)) throw new Error(`${partName} cannot be composed here`);
      check(partName, partParams, partSpecs(partName));
    }
  }

  /* Each rule gives a scheduler's get_lr() (and _get_closed_form_lr() where PyTorch
     has one) for the scheduler state `s` ({base, lastEpoch, stepCount, initial})
     and the param group `g` ({lr, initial_lr, momentum}). */
  const RULES = {
    LambdaLR(p, s) {
      const lambda = LAMBDAS[p.lr_lambda].make(p);
      return { get: () => s.base * lambda(s.lastEpoch) };
    },
    MultiplicativeLR(p, s, g) {
      const lambda = LAMBDAS[p.lr_lambda].make(p);
      return { get: () => (s.initial ? g.lr : g.lr * lambda(s.lastEpoch)) };
    },
    StepLR: (p, s, g) => ({
      get: () => (s.lastEpoch === 0 || s.lastEpoch % p.step_size !== 0 ? g.lr : g.lr * p.gamma),
      closed: () => s.base * p.gamma ** Math.floor(s.lastEpoch / p.step_size),
    }),
    MultiStepLR(p, s, g) {
      const count = (test) => p.milestones.filter(test).length;
      return {
        get: () => {
          const here = count((milestone) => milestone === s.lastEpoch);
          return here ? g.lr * p.gamma ** here : g.lr;
        },
        closed: () => s.base * p.gamma ** count((milestone) => milestone <= s.lastEpoch),
      };
    },
    ConstantLR: (p, s, g) => ({
      get: () => (s.lastEpoch === 0 ? g.lr * p.factor : s.lastEpoch !== p.total_iters ? g.lr : g.lr * (1.0 / p.factor)),
      closed: () => s.base * (p.factor + (s.lastEpoch >= p.total_iters) * (1 - p.factor)),
    }),
    LinearLR(p, s, g) {
      const change = p.end_factor - p.start_factor, total = p.total_iters;
      return {
        get: () => {
          const e = s.lastEpoch;
          if (e === 0) return g.lr * p.start_factor;
          if (s.initial || e > total) return g.lr;
          return g.lr * (1.0 + change / (total * p.start_factor + (e - 1) * change));
        },
        closed: () => s.base * (p.start_factor + (change * Math.min(total, s.lastEpoch)) / total),
      };
    },
    ExponentialLR: (p, s, g) => ({
      get: () => (s.initial ? g.lr : g.lr * p.gamma),
      closed: () => s.base * p.gamma ** s.lastEpoch,
    }),
    PolynomialLR(p, s, g) {
      const total = p.total_iters;
      return {
        get: () => {
          const e = s.lastEpoch;
          if (s.initial || e > total) return g.lr;
          return g.lr * ((1.0 - e / total) / (1.0 - (e - 1) / total)) ** p.power;
        },
        closed: () => s.base * (1.0 - Math.min(total, s.lastEpoch) / total) ** p.power,
      };
    },
    CosineAnnealingLR(p, s, g) {
      const T = p.T_max, low = p.eta_min;
      const closed = () => low + ((s.base - low) * (1 + cos((PI * s.lastEpoch) / T))) / 2;
      return {
        get: () => {
          const e = s.lastEpoch;
          if (s.initial) return g.lr;
          if (s.stepCount === 1 && e > 0) return closed();
          if ((e - 1 - T) % (2 * T) === 0) return g.lr + ((s.base - low) * (1 - cos(PI / T))) / 2;
          return ((1 + cos((PI * e) / T)) / (1 + cos((PI * (e - 1)) / T))) * (g.lr - low) + low;
        },
        closed,
      };
    },
    CosineAnnealingWarmRestarts(p, s, g) {
      let current = -1, period = p.T_0; // T_cur and T_i
      const get = () => p.eta_min + ((s.base - p.eta_min) * (1 + cos((PI * current) / period))) / 2;
      return {
        get,
        step() { // its own step(): no _step_count, a restart when T_cur reaches T_i
          if (s.lastEpoch < 0) {
            period = p.T_0;
            current = 0;
            s.lastEpoch = 0;
          } else {
            s.lastEpoch += 1;
            current += 1;
            if (current >= period) {
              current = current % period;
              period = period * p.T_mult;
            }
          }
          g.lr = get();
        },
      };
    },
    SWALR(p, s, g) {
      const anneal = p.anneal_strategy === "cos" ? (t) => (1 - cos(PI * t)) / 2 : (t) => t;
      const epochs = p.anneal_epochs, swa = p.swa_lr;
      return {
        get: () => {
          let step = s.stepCount - 1;
          if (epochs === 0) step = Math.max(1, step);
          const previousAlpha = anneal(Math.max(0, Math.min(1, (step - 1) / Math.max(1, epochs))));
          const previous = previousAlpha === 1 ? swa : (g.lr - previousAlpha * swa) / (1 - previousAlpha);
          const alpha = anneal(Math.max(0, Math.min(1, step / Math.max(1, epochs))));
          return swa * alpha + previous * (1 - alpha);
        },
      };
    },
    CyclicLR(p, s, g) {
      const total = p.step_size_up + p.step_size_down, ratio = p.step_size_up / total;
      const scale = (x) => (p.mode === "triangular" ? 1.0 : p.mode === "triangular2" ? 1 / 2.0 ** (x - 1) : p.gamma ** x);
      g.lr = p.base_lr; // its constructor sets the group's lr to base_lr
      return {
        get: () => {
          const e = s.lastEpoch, cycle = Math.floor(1 + e / total), x = 1.0 + e / total - cycle;
          const height = (x <= ratio ? x / ratio : (x - 1) / (ratio - 1)) * scale(p.mode === "exp_range" ? e : cycle);
          if (p.cycle_momentum) g.momentum = p.max_momentum - (p.max_momentum - p.base_momentum) * height;
          return p.base_lr + (p.max_lr - p.base_lr) * height;
        },
      };
    },
    OneCycleLR(p, s, g) {
      const T = p.total_steps, up = p.pct_start * T, three = p.three_phase;
      // Phases: the step each ends at, and the values they go between (i: initial
      // lr, x: max_lr, n: min lr, M: max_momentum, b: base_momentum).
      const ends = three ? [up - 1, 2 * up - 2, T - 1] : [up - 1, T - 1];
      const lrs = three ? "ixin" : "ixn", moms = three ? "MbMM" : "MbM";
      const anneal = p.anneal_strategy === "cos"
        ? (from, to, pct) => to + ((from - to) / 2.0) * (cos(PI * pct) + 1)
        : (from, to, pct) => (to - from) * pct + from;
      const initial = p.max_lr / p.div_factor;
      const value = { i: initial, x: p.max_lr, n: initial / p.final_div_factor, M: p.max_momentum, b: p.base_momentum };
      g.initial_lr = initial; // its constructor sets these
      return {
        get: () => {
          const e = s.lastEpoch;
          let start = 0.0, phase = 0;
          while (e > ends[phase] && phase < ends.length - 1) start = ends[phase++];
          const pct = divide(e - start, ends[phase] - start);
          if (p.cycle_momentum) g.momentum = anneal(value[moms[phase]], value[moms[phase + 1]], pct);
          return anneal(value[lrs[phase]], value[lrs[phase + 1]], pct);
        },
      };
    },
  };

  /* new lr_scheduler.<name>(optimizer, ...) on the param group `g`: LRScheduler's
     constructor (initial_lr set once, for every scheduler after), then its first
     step. step() and updateAt(epoch) are PyTorch's step() and _update_lr(epoch). */
  function create(name, params, g) {
    const s = { lastEpoch: -1, stepCount: 0, initial: false };
    const rule = RULES[name](params, s, g);
    if (!("initial_lr" in g)) g.initial_lr = g.lr;
    s.base = g.initial_lr;
    s.step = rule.step || (() => {
      s.stepCount += 1;
      s.lastEpoch += 1;
      g.lr = rule.get();
    });
    s.updateAt = (epoch) => {
      s.lastEpoch = epoch;
      g.lr = (rule.closed || rule.get)();
    };
    s.initialStep = () => {
      s.stepCount = 0;
      s.initial = true;
      s.step();
      s.initial = false;
    };
    s.initialStep();
    return s;
  }

  const bisectRight = (sorted, x) => sorted.filter((milestone) => milestone <= x).length;

  /* What the training loop steps: step(epoch) once per epoch. */
  function build(name, p, g) {
    if (name === "ChainedScheduler" || name === "SequentialLR") {
      const parts = p.schedulers.map(({ name: partName, params }) => create(partName, params, g));
      if (name === "ChainedScheduler") return { step: () => parts.forEach((s) => s.step()) };
      // SequentialLR's constructor: lr back to initial_lr, every part's last_epoch
      // one back, and the first part's initial step again.
      g.lr = g.initial_lr;
      for (const s of parts) s.lastEpoch -= 1;
      parts[bisectRight(p.milestones, 0)].initialStep();
      let epoch = 0;
      return {
        step() {
          epoch += 1;
          const index = bisectRight(p.milestones, epoch);
          if (index > 0 && p.milestones[index - 1] === epoch) parts[index].updateAt(0);
          else parts[index].step();
        },
      };
    }
    if (name === "SWALR") { // as swa_utils is used: one schedule, then SWALR
      const before = create("CosineAnnealingLR", { T_max: p.T_max, eta_min: 0 }, g), swa = create("SWALR", p, g);
      return { step: (epoch) => (epoch > p.swa_start ? swa : before).step() };
    }
    return create(name, p, g);
  }

  /* The validation loss ReduceLROnPlateau is given: it falls for FALL epochs, stays
     flat for `plateau`, falls again; times 1 + noise × uniform(−1, 1), from the
     Park–Miller generator (exact in JavaScript and Python alike). */
  const FALL = 20, MODULUS = 2147483647;
  function validationLosses(p) {
    const losses = [];
    let state = p.draw;
    for (let epoch = 0; epoch < p.steps; epoch++) {
      state = (state * 48271) % MODULUS;
      const progress = Math.min(epoch, FALL) + Math.max(0, epoch - FALL - p.plateau);
      const noise = p.noise * ((2 * state) / MODULUS - 1);
      losses.push((1 + noise) / (1 + progress / 10));
    }
    return losses;
  }

  function plateauStepper(p, g) {
    const better = {
      "min rel": (a, best) => a < best * (1.0 - p.threshold),
      "min abs": (a, best) => a < best - p.threshold,
      "max rel": (a, best) => a > best * (p.threshold + 1.0),
      "max abs": (a, best) => a > best + p.threshold,
    }[p.mode + " " + p.threshold_mode];
    let best = p.mode === "min" ? Infinity : -Infinity, bad = 0, cooldown = 0;
    return {
      step(metric) {
        if (better(metric, best)) {
          best = metric;
          bad = 0;
        } else bad += 1;
        if (cooldown > 0) {
          cooldown -= 1;
          bad = 0;
        }
        if (bad > p.patience) {
          const reduced = Math.max(g.lr * p.factor, p.min_lr);
          if (g.lr - reduced > p.eps) g.lr = reduced;
          cooldown = p.cooldown;
          bad = 0;
        }
      },
    };
  }

  /* The lr (and momentum where the scheduler cycles it) seen by optimizer.step() at
     each of n steps: [0] right after construction, [k] after k scheduler.step();
     for ReduceLROnPlateau also the validation losses it was given. */
  function run(name, params) {
    check(name, params);
    const count = name === "OneCycleLR" ? params.total_steps : params.steps;
    const g = { lr: params.lr ?? params.base_lr, momentum: 0.9 };
    const metric = name === "ReduceLROnPlateau" ? validationLosses(params) : null;
    const stepper = metric ? plateauStepper(params, g) : build(name, params, g);
    const lrs = [], momentum = params.cycle_momentum ? [] : null;
    for (let epoch = 0; epoch < count; epoch++) {
      lrs.push(g.lr);
      if (momentum) momentum.push(g.momentum);
      stepper.step(metric ? metric[epoch] : epoch);
    }
    return { lr: lrs, momentum, metric };
  }

  /* ---- The Python that gives the same curve ---- */

  // Python literals: floats keep a ".0" so PyTorch's isinstance checks pass.
  function literal(value, type) {
    if (type === "b") return value ? "True" : "False";
    if (type === "c") return JSON.stringify(value);
    if (type === "l") return "[" + value.join(", ") + "]";
    const text = String(value);
    return type === "f" && /^-?\d+$/.test(text) ? text + ".0" : text;
  }

  // A call as ruff formats it: on one line, else its arguments on one line of
  // their own, else one argument a line.
  function call(target, callee, args) {
    const line = `${target} = ${callee}(${args.join(", ")})`, inner = "    " + args.join(", ");
    if (line.length <= 88) return line;
    if (inner.length <= 88) return `${target} = ${callee}(\n${inner}\n)`;
    return `${target} = ${callee}(\n    ${args.join(",\n    ")},\n)`;
  }

  /* The keyword arguments of scheduler `name` for `params`, as Python source. */
  function keywords(name, params) {
    if (LAMBDAS[params.lr_lambda]) return [`lambda step: ${LAMBDAS[params.lr_lambda].python(params)}`];
    const skip = { SWALR: ["T_max", "swa_start"], ReduceLROnPlateau: ["plateau", "noise", "draw"] }[name] || [];
    return partSpecs(name).filter(([key]) => !skip.includes(key))
      .map(([key, type]) => `${key}=${literal(params[key], type)}`);
  }

  const ORDINALS = ["first", "second", "third"];

  // A standalone script that reproduces run(name, params) in PyTorch.
  function code(name, params) {
    const count = name === "OneCycleLR" ? params.total_steps : params.steps;
    const lambdas = [params, ...(params.schedulers || []).map((x) => x.params)];
    const lines = ["import torch", "from torch.optim import lr_scheduler" + (name === "SWALR" ? ", swa_utils" : ""), "",
      "model = torch.nn.Linear(10, 1)"];
    if (lambdas.some((x) => x.lr_lambda === "inverse square root")) lines.unshift("import math", "");
    const optimizerArgs = ["model.parameters()"];
    if ("lr" in params) optimizerArgs.push(`lr=${literal(params.lr, "f")}`);
    lines.push(call("optimizer", "torch.optim.SGD", [...optimizerArgs, "momentum=0.9"]));
    const loop = [];
    if (params.schedulers) {
      const names = params.schedulers.map((x, i) => {
        lines.push(call(ORDINALS[i], "lr_scheduler." + x.name, ["optimizer", ...keywords(x.name, x.params)]));
        return ORDINALS[i];
      });
      const args = name === "SequentialLR"
        ? ["optimizer", `schedulers=[${names.join(", ")}]`, `milestones=${literal(params.milestones, "l")}`]
        : [`[${names.join(", ")}]`];
      lines.push(call("scheduler", "lr_scheduler." + name, args));
    } else if (name === "SWALR") {
      lines.push("swa_model = swa_utils.AveragedModel(model)",
        call("scheduler", "lr_scheduler.CosineAnnealingLR", ["optimizer", `T_max=${params.T_max}`]),
        call("swa_scheduler", "swa_utils.SWALR", ["optimizer", ...keywords(name, params)]),
        `swa_start = ${params.swa_start}`);
      loop.push("    if step > swa_start:", "        swa_model.update_parameters(model)",
        "        swa_scheduler.step()", "    else:", "        scheduler.step()");
    } else {
      lines.push(call("scheduler", "lr_scheduler." + name, ["optimizer", ...keywords(name, params)]));
    }
    if (name === "ReduceLROnPlateau") {
      lines.push("",
        `# The validation loss drawn: it falls for ${FALL} epochs, stays flat for ${params.plateau}, then`,
        "# falls again, with noise from a tiny random generator (the page's draw).",
        `state = ${params.draw}`, "val_losses = []", `for epoch in range(${count}):`,
        `    state = state * 48271 % ${MODULUS}`,
        `    progress = min(epoch, ${FALL}) + max(0, epoch - ${FALL + params.plateau})`,
        `    noise = ${literal(params.noise, "f")} * (2 * state / ${MODULUS} - 1)`,
        "    val_losses.append((1 + noise) / (1 + progress / 10))");
      loop.push("    scheduler.step(val_losses[step])  # after each epoch, its validation loss");
    }
    if (!loop.length) loop.push("    scheduler.step()");
    const cycles = params.cycle_momentum;
    lines.push("", "lrs" + (cycles ? ", momentums = [], []" : " = []"), `for step in range(${count}):`,
      '    lrs.append(optimizer.param_groups[0]["lr"])');
    if (cycles) lines.push('    momentums.append(optimizer.param_groups[0]["momentum"])');
    lines.push("    optimizer.step()  # in training: forward pass and loss.backward() first", ...loop,
      'print(f"lr: first {lrs[0]:.6g}, max {max(lrs):.6g}, last {lrs[-1]:.6g}")');
    return lines.join("\n") + "\n";
  }

  const api = { SPECS, COMPOSABLE, LAMBDAS, range, defaults, complete, partSpecs, usedKeys, run, code };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (globalThis.LR ||= {}).schedules = api;
})();

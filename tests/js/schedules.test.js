// The schedulers' engine (docs/javascripts/lib/schedules.js); PyTorch itself is
// compared in tests/test_playground_schedules.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const schedules = require("../../docs/javascripts/lib/schedules.js");

const curve = (name, params = {}) => schedules.run(name, Object.assign(schedules.defaults(name), params)).lr;

test("StepLR decays by gamma every step_size steps", () => {
  const lrs = curve("StepLR", { lr: 1, step_size: 10, gamma: 0.5, steps: 25 });
  assert.deepEqual([lrs[0], lrs[9], lrs[10], lrs[20]], [1, 1, 0.5, 0.25]);
});

test("impossible parameters are refused with the parameter's name", () => {
  assert.throws(() => curve("StepLR", { step_size: 0 }), /step_size/);
});

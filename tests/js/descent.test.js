// Gradient descent on the playground's surfaces (docs/javascripts/lib/descent.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const descent = require("../../docs/javascripts/lib/descent.js");

const { q1, q2, dw } = descent.SURFACES;

test("each step on the 1-D quadratic scales the distance by 1 - 2 eta", () => {
  const points = descent.descend(q1, 0.3);
  assert.equal(points.length, descent.STEPS + 1);
  assert.ok(Math.abs(points[1][0] - 1 - 0.4 * 3) < 1e-12);
});

test("a diverging run stops at the first point past the cut-off", () => {
  const points = descent.descend(dw, 0.7);
  assert.ok(points.length < descent.STEPS + 1);
  assert.ok(descent.isOut(points[points.length - 1]));
  assert.ok(!descent.isOut(points[points.length - 2]));
});

test("the presets give the three lessons on every surface", () => {
  for (const surface of [q1, q2, dw]) {
    const said = surface.presets.map((rate) => descent.verdict(surface, rate, descent.descend(surface, rate)));
    assert.match(said[0], /^Slow/);
    assert.match(said[1], /^(Oscillating but converging|Converging)/);
    assert.match(said[2], /^Diverging/);
  }
});

test("the slider lands on round rates", () => {
  assert.equal(descent.notchRate(Math.log10(0.6)), 0.6);
  assert.equal(descent.notchRate(-0.22), 0.6);
  assert.equal(descent.notchRate(0.5), 3.16);
});

test("q2 diverges just past 2 / lambda_max = 0.2", () => {
  assert.match(descent.verdict(q2, 0.21, []), /2\/λ_max = 0.2/);
});

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

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const constant = (rate, steps) => Array(steps).fill(rate);

test("the same seed gives the same run; another seed another", () => {
  const a = descent.train(q1, constant(0.1, 50), 1, 7), b = descent.train(q1, constant(0.1, 50), 1, 7);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, descent.train(q1, constant(0.1, 50), 1, 8));
});

test("without noise, training is gradient descent", () => {
  const losses = descent.train(q2, constant(0.18, descent.STEPS), 0, 1);
  assert.deepEqual(losses, descent.descend(q2, 0.18).map(q2.loss));
});

test("the normal numbers have mean 0 and variance 1", () => {
  const normal = descent.normals(3), draws = Array.from({ length: 20000 }, normal);
  assert.ok(Math.abs(mean(draws)) < 0.03);
  assert.ok(Math.abs(mean(draws.map((x) => x * x)) - 1) < 0.05);
});

test("at a constant rate the loss settles at the noise floor", () => {
  for (const surface of [q1, q2]) {
    const rate = 0.05, losses = descent.train(surface, constant(rate, 20000), 1, 5).slice(2000);
    const floor = descent.noiseFloor(surface, rate, 1);
    assert.ok(Math.abs(mean(losses) / floor - 1) < 0.15, `${mean(losses)} vs ${floor}`);
  }
});

test("the noise floor falls when the rate decays: the seed's lesson", () => {
  const steps = 300, large = constant(0.4, steps);
  const decayed = large.map((rate, step) => (step < 100 ? rate : step < 200 ? rate / 10 : rate / 100));
  const tail = (rates) => mean(descent.train(q1, rates, 1, 2).slice(-50));
  assert.ok(tail(decayed) < tail(large) / 20, `${tail(decayed)} vs ${tail(large)}`);
  assert.ok(descent.noiseFloor(q1, 0.004, 1) < descent.noiseFloor(q1, 0.4, 1) / 50);
  const small = constant(0.004, steps); // settles low, but has not arrived yet
  assert.ok(tail(small) > tail(decayed));
});

test("no noise floor where the rate diverges or on the double well", () => {
  assert.equal(descent.noiseFloor(q1, 1.0, 1), null);
  assert.equal(descent.noiseFloor(dw, 0.1, 1), null);
});

test("each lesson's run does what its sentence says", () => {
  const schedules = require("../../docs/javascripts/lib/schedules.js");
  const [large, small, stepped, cosine] = descent.LESSONS.map(({ name, params }) => {
    const rates = schedules.run(name, schedules.complete(name, params)).lr;
    const losses = descent.train(q1, rates, 1, 1);
    return { rates, losses, tail: mean(losses.slice(-30)) };
  });
  const floor = (rate) => descent.noiseFloor(q1, rate, 1);
  // Large steps: fast (near the floor within 20 steps), then no lower.
  assert.ok(mean(large.losses.slice(20, 60)) < 3 * floor(0.4));
  assert.ok(mean(large.losses.slice(-100)) > floor(0.4) / 2);
  // Small steps: a low floor, not reached for most of the run.
  assert.ok(floor(0.004) < floor(0.4) / 30);
  assert.ok(mean(small.losses.slice(100, 110)) > 10 * floor(0.004));
  // Large, then lower: the floor falls at each decay, the loss settles lower.
  for (const milestone of descent.LESSONS[2].params.milestones) {
    assert.ok(floor(stepped.rates[milestone]) < floor(stepped.rates[milestone - 1]) / 5);
  }
  assert.ok(stepped.tail < large.tail / 10 && stepped.tail < small.tail / 10);
  // Cosine: the floor falls with the rate, to the end.
  assert.ok(cosine.tail < large.tail / 10);
});

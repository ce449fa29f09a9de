// Property: for any DAG built from the ops (shared subexpressions, several consumers of one
// tensor, concatenated branches, broadcasting, parameters), backward() agrees with central
// differences. fast-check generates the programs and shrinks any failure to a small one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, concat, div, elu, exp, gradcheck, leakyRelu, linear, logSoftmax, matmul, mean, mul, neg, prelu, Random, relu,
  reshape, sigmoid, softmax, square, sub, sum, tanh, Tensor, transpose,
} from '../../src/index.js';

const N = 3; // rows of every node: batch first, as in a network

const OPS = [
  'tanh', 'sigmoid', 'square', 'neg', 'expTanh', 'relu', 'leakyRelu', 'elu', 'preluScalar', 'preluVector',
  'softmax', 'logSoftmax', 'add', 'sub', 'mul', 'safeDiv', 'addColumnMean', 'mulRowSum', 'concat', 'matmul',
  'linear', 'reshapeRoundTrip', 'gram', 'addRowOfSums',
] as const;
type Op = (typeof OPS)[number];

interface Step {
  op: Op;
  a: number; // operand picks: −1, −2, −3 count back from the newest node; others are taken modulo the count
  b: number;
  width: number; // output width of matmul / linear
  offset: number; // shifts kinked activations off exact zeros
}

// Ops that join two nodes are drawn more often than the others: joins are where gradients of
// several consumers meet, which is what the engine must get right.
const JOINS: readonly Op[] = ['add', 'sub', 'mul', 'concat', 'gram', 'mulRowSum'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constantFrom(...OPS), weight: 2 },
  { arbitrary: fc.constantFrom(...JOINS), weight: 1 },
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  op: opArb,
  // Favouring recent nodes makes chains, fan-out and re-joins (a node feeding several later
  // consumers, then an add of two such nodes) common rather than rare.
  a: fc.integer({ min: -3, max: 50 }),
  b: fc.integer({ min: -3, max: 50 }),
  width: fc.integer({ min: 1, max: 4 }),
  offset: fc.double({ min: 0.05, max: 0.45, noNaN: true }),
});

const programArb = fc.record({
  inputWidths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 10 }),
  seed: fc.nat(1_000_000),
});
type Program = { inputWidths: number[]; steps: Step[]; seed: number };

const MAX_WIDTH = 8;

/** The node an operand pick refers to when `count` nodes exist. */
function pick(p: number, count: number): number {
  return p < 0 ? Math.max(0, count + p) : p % count;
}

/** Which parameter leaves each step needs, found by tracking node widths without computing. */
function planParams(p: Program): { shapes: number[][]; owner: (number | null)[] } {
  const widths = p.inputWidths.slice();
  const shapes: number[][] = [];
  const owner: (number | null)[] = [];
  for (const s of p.steps) {
    const wa = widths[pick(s.a, widths.length)]!;
    const wb = widths[pick(s.b, widths.length)]!;
    owner.push(null);
    let out = wa;
    if (s.op === 'matmul') {
      owner[owner.length - 1] = shapes.length;
      shapes.push([wa, s.width]);
      out = s.width;
    } else if (s.op === 'linear') {
      owner[owner.length - 1] = shapes.length;
      shapes.push([wa, s.width], [s.width]);
      out = s.width;
    } else if (s.op === 'preluScalar' || s.op === 'preluVector') {
      owner[owner.length - 1] = shapes.length;
      shapes.push([s.op === 'preluScalar' ? 1 : wa]);
    } else if (s.op === 'concat') {
      out = wa + wb <= MAX_WIDTH ? wa + wb : wa;
    } else if (s.op === 'gram') {
      out = wa === wb ? N : wa;
    }
    widths.push(out);
  }
  return { shapes, owner };
}

function makeInputs(p: Program, paramShapes: number[][]): Tensor[] {
  const rng = new Random(p.seed);
  const leaf = (shape: number[], low: number, high: number): Tensor => {
    const n = shape.reduce((x, y) => x * y, 1);
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = rng.range(low, high);
    return new Tensor(data, shape, true);
  };
  return [
    ...p.inputWidths.map((w) => leaf([N, w], -1.5, 1.5)),
    ...paramShapes.map((s) => (s.length === 1 && s[0] === 1 ? leaf(s, 0.05, 0.5) : leaf(s, -1, 1))),
  ];
}

/** Run the program on the given leaves; the output concatenates every node no step consumed. */
function evaluate(p: Program, owner: (number | null)[], leaves: Tensor[]): Tensor {
  const nodes = leaves.slice(0, p.inputWidths.length);
  const params = leaves.slice(p.inputWidths.length);
  const used = new Set<number>();
  p.steps.forEach((s, k) => {
    const ia = pick(s.a, nodes.length);
    const ib = pick(s.b, nodes.length);
    const a = nodes[ia]!;
    const b = nodes[ib]!;
    const w = owner[k] === null ? null : params[owner[k]!]!;
    const sameWidth = a.shape[1] === b.shape[1];
    let out: Tensor;
    let usesB = false;
    switch (s.op) {
      case 'tanh': out = tanh(a); break;
      case 'sigmoid': out = sigmoid(a); break;
      case 'square': out = square(a); break;
      case 'neg': out = neg(a); break;
      case 'expTanh': out = exp(tanh(a)); break;
      case 'relu': out = relu(add(a, s.offset)); break;
      case 'leakyRelu': out = leakyRelu(sub(a, s.offset), 0.2); break;
      case 'elu': out = elu(add(a, s.offset), 0.5); break;
      case 'preluScalar':
      case 'preluVector': out = prelu(sub(a, s.offset), w!); break;
      case 'softmax': out = softmax(a); break;
      case 'logSoftmax': out = logSoftmax(a); break;
      case 'add': out = sameWidth ? add(a, b) : add(a, mean(b)); usesB = true; break;
      case 'sub': out = sameWidth ? sub(a, b) : sub(a, sum(b, 1, true)); usesB = true; break;
      case 'mul': out = sameWidth ? mul(a, b) : mul(a, mean(b, 1, true)); usesB = true; break;
      case 'safeDiv': out = div(a, add(square(sameWidth ? b : mean(b, 1, true)), 1)); usesB = true; break;
      case 'addColumnMean': out = sameWidth ? add(a, mean(b, 0)) : add(a, mean(a, 0)); usesB = sameWidth; break; // [k] over [N, k]
      case 'mulRowSum': out = mul(a, sum(b, 1, true)); usesB = true; break; // [N, 1] over [N, k]
      case 'concat':
        if (a.shape[1]! + b.shape[1]! <= MAX_WIDTH) {
          out = concat([a, b], 1);
          usesB = true;
        } else out = tanh(a);
        break;
      case 'matmul': out = matmul(a, w!); break;
      case 'linear': out = linear(a, w!, params[owner[k]! + 1]!); break;
      case 'reshapeRoundTrip': out = reshape(reshape(a, [-1]), [N, -1]); break;
      case 'gram': // A Bᵀ: [N, k]·[k, N], both factors computed nodes
        if (sameWidth) {
          out = matmul(a, transpose(b));
          usesB = true;
        } else out = sigmoid(a);
        break;
      case 'addRowOfSums': out = sameWidth ? add(a, sum(b, 0, true)) : sub(a, sum(a, 0, true)); usesB = sameWidth; break; // [1, k] over [N, k]
    }
    used.add(ia);
    if (usesB) used.add(ib);
    nodes.push(out);
  });
  const sinks = nodes.filter((_, i) => !used.has(i));
  return sinks.length === 1 ? sinks[0]! : concat(sinks, -1);
}

describe('random DAGs pass gradcheck', () => {
  it('for 250 generated programs', () => {
    fc.assert(
      fc.property(programArb, (p) => {
        const { shapes, owner } = planParams(p);
        const inputs = makeInputs(p, shapes);
        const r = gradcheck((...xs) => evaluate(p, owner, xs), inputs);
        if (!r.passed) throw new Error(`gradcheck failed: ${JSON.stringify(r.worst)}`);
        return r.maxAbsError < 1e-5;
      }),
      { numRuns: 250, seed: 5 },
    );
  });

  it('the program interpreter really builds shared, multi-consumer DAGs', () => {
    // A fixed program: x feeds tanh and sigmoid (two consumers), both are concatenated, and the
    // concat is multiplied by its own row sums (a shared subexpression used twice).
    const p: Program = {
      inputWidths: [2],
      steps: [
        { op: 'tanh', a: 0, b: 0, width: 1, offset: 0.1 },
        { op: 'sigmoid', a: 0, b: 0, width: 1, offset: 0.1 },
        { op: 'concat', a: 1, b: 2, width: 1, offset: 0.1 },
        { op: 'mulRowSum', a: 3, b: 3, width: 1, offset: 0.1 },
      ],
      seed: 1,
    };
    const { shapes, owner } = planParams(p);
    const inputs = makeInputs(p, shapes);
    const y = evaluate(p, owner, inputs);
    expect(y.shape).toEqual([N, 4]);
    expect(gradcheck((...xs) => evaluate(p, owner, xs), inputs).passed).toBe(true);
  });
});

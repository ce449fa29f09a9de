// `sloika train DATA.csv --target COL`: read, preprocess, split, train, report, save.

import { basename, extname } from 'node:path';
import {
  classIndices, decodeOutputs, describeTarget, encodeFeatures, encodeTargets, fitPreprocessing, networkWidths,
  type ImputeMode, type Preprocessing, type Task,
} from '../../src/data/preprocess.js';
import { columnValues, selectRows, splitRows, type Table } from '../../src/data/table.js';
import { readCsv } from '../csv.js';
import {
  ACTIVATIONS, OPTIMIZERS, buildNetwork, networkSummary, predictRaw, trainNetwork,
  type ActivationName, type Matrix, type Network, type OptimizerName, type Targets, type TrainHistory,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { metricsFor, type Metrics } from '../metrics.js';
import { saveModelFile } from '../model-file.js';
import { checkWritable, choiceOption, columnList, hiddenOption, intOption, numberOption } from '../options.js';
import { trainingCurvesSvg } from '../plot.js';
import { progressReporter } from '../progress.js';
import { metricsJson, metricsText } from '../report.js';

/** `--epochs auto`: 200 passes, fewer on large files so that training stays near this many steps. */
const AUTO_EPOCHS = 200;
const AUTO_STEPS = 40_000;

/** The number of epochs `--epochs auto` picks for this many training rows. */
export function autoEpochs(trainRows: number, batchSize: number): number {
  const steps = Math.ceil(trainRows / batchSize);
  return Math.min(AUTO_EPOCHS, Math.max(10, Math.ceil(AUTO_STEPS / steps)));
}

/** Defaults chosen to train small tables well in seconds (see README "Command line"). */
export const TRAIN_DEFAULTS = {
  task: 'auto', hidden: '64,32', activation: 'relu', optimizer: 'adam', lr: '0.003', epochs: 'auto',
  batchSize: '32', l2: '0.01', dropout: '0.1', testSize: '0.2', seed: '42', earlyStopping: '0', impute: 'none',
} as const;

export interface TrainFlags {
  target: string;
  task: string;
  hidden: string;
  activation: string;
  optimizer: string;
  lr: string;
  epochs: string;
  batchSize: string;
  l2: string;
  dropout: string;
  testSize: string;
  seed: string;
  earlyStopping: string;
  impute: string;
  ignore?: string;
  out?: string;
  plot?: string;
  quiet?: boolean;
  json?: boolean;
}

function parseFlags(flags: TrainFlags) {
  return {
    targets: columnList('target', flags.target),
    task: choiceOption('task', flags.task, ['auto', 'binary', 'multiclass', 'regression'] as const),
    hidden: hiddenOption(flags.hidden),
    activation: choiceOption<ActivationName>('activation', flags.activation, ACTIVATIONS),
    optimizer: choiceOption<OptimizerName>('optimizer', flags.optimizer, OPTIMIZERS),
    lr: numberOption('lr', flags.lr, 0, 10, { lo: true }),
    epochs: flags.epochs === 'auto' ? null : intOption('epochs', flags.epochs, 1, 1_000_000),
    batchSize: intOption('batch-size', flags.batchSize, 1),
    l2: numberOption('l2', flags.l2, 0, Infinity),
    dropout: numberOption('dropout', flags.dropout, 0, 1, { hi: true }),
    testSize: numberOption('test-size', flags.testSize, 0, 1, { lo: true, hi: true }),
    seed: intOption('seed', flags.seed, 0, 2 ** 31 - 1),
    earlyStopping: intOption('early-stopping', flags.earlyStopping, 0),
    impute: choiceOption<ImputeMode>('impute', flags.impute, ['none', 'mean', 'median']),
    ignore: flags.ignore ? columnList('ignore', flags.ignore) : [],
  };
}

/**
 * A column of distinct whole numbers that is named like an id or counts the rows (0, 1, 2, …):
 * a row identifier, not a measurement.
 * @example looksLikeId('id', ['8423', '9120', '1177']); // true
 */
export function looksLikeId(name: string, cells: readonly string[]): boolean {
  if (cells.length < 10) return false;
  const values = cells.map((c) => Number(c.trim()));
  if (!values.every((v) => Number.isInteger(v)) || new Set(values).size !== values.length) return false;
  const named = /^(id|index|idx|key|row|rowid|no|number|#)$|[_ ]id$|^id[_ ]/i.test(name.trim());
  const counts = Math.max(...values) - Math.min(...values) === values.length - 1;
  return named || counts;
}

/** The table's encoded inputs as the engine's matrix (the training rows never need the encoder's warnings). */
function featureMatrix(prep: Preprocessing, table: Table): Matrix {
  const f = encodeFeatures(prep, table);
  return { data: f.x, rows: f.rows, cols: f.width };
}

function targetsFor(prep: Preprocessing, table: Table): Targets {
  const t = encodeTargets(prep.target, table);
  if (prep.target.kind === 'multiclass') return { labels: t.labels! };
  return { values: { data: t.y, rows: table.rows.length, cols: t.width } };
}

/** Warnings about input columns that look like row ids or free text rather than measurements. */
function idColumnWarnings(prep: Preprocessing, table: Table): string[] {
  const n = table.rows.length;
  const warnings: string[] = [];
  for (const f of prep.features) {
    if (f.kind === 'numeric' && looksLikeId(f.name, columnValues(table, f.name))) {
      warnings.push(`warning: numeric column "${f.name}" has a different whole number in every row (an id?); it is used as an input, where it can only add noise — consider --ignore ${f.name}`);
    }
    // A text column with (nearly) one value per row is an id or free text: one-hot cannot generalise from it.
    if (f.kind === 'categorical' && f.categories.length > 20 && f.categories.length * 2 > n) {
      warnings.push(`warning: text column "${f.name}" has ${f.categories.length} distinct values in ${n} rows (an id or free text?); it becomes ${f.categories.length} one-hot inputs — consider --ignore ${f.name}`);
    }
  }
  return warnings;
}

function evaluateOn(network: Network, prep: Preprocessing, table: Table, x: Matrix): Metrics {
  const decoded = decodeOutputs(prep.target, predictRaw(network, x), x.rows);
  return metricsFor(prep.target, decoded, encodeTargets(prep.target, table));
}

/** The class labels for the task line; a long list is cut so the line stays readable. */
export function classList(classes: readonly string[]): string {
  return classes.length <= 12 ? classes.join(', ') : `${classes.slice(0, 10).join(', ')}, … (${classes.length - 10} more)`;
}

function taskLine(prep: Preprocessing, reason: string): string {
  const t = prep.target;
  if (t.kind === 'regression') {
    return `task: regression of ${t.columns.map((c) => `"${c}"`).join(', ')} (${t.columns.length} output${t.columns.length > 1 ? 's' : ''}, MSE on standardised targets)${reason ? ` — ${reason}` : ''}`;
  }
  const head = t.kind === 'binary' ? 'sigmoid + log loss' : 'softmax + cross-entropy';
  return `task: ${t.kind} classification of "${t.column}" (${t.classes.length} classes: ${classList(t.classes)}; ${head}) — ${reason}`;
}

/** Run `sloika train`; resolves with the exit code. */
export async function trainCommand(dataPath: string, flags: TrainFlags): Promise<number> {
  const o = parseFlags(flags);
  const out = flags.out ?? `${basename(dataPath, extname(dataPath))}.sloika`;
  checkWritable('--out', out);
  if (flags.plot) checkWritable('--plot', flags.plot);
  const note = (s: string): void => {
    if (!flags.quiet) process.stderr.write(s + '\n');
  };

  const table = readCsv(dataPath);
  const { target, reason } = describeTarget(table, o.targets, o.task as Task | 'auto');
  const n = table.rows.length;
  const testRows = Math.round(n * o.testSize);
  if (testRows < 1 || n - testRows < 2) {
    let need = 3;
    while (Math.round(need * o.testSize) < 1 || need - Math.round(need * o.testSize) < 2) need++;
    throw new UserError(`${dataPath} has ${n} data row${n === 1 ? '' : 's'}; a train/test split with --test-size ${o.testSize} needs at least ${need} rows (2 to train, 1 to test) — add rows or change --test-size`);
  }
  const split = splitRows(n, o.testSize, o.seed, classIndices(table, target) ?? undefined);
  const prep = fitPreprocessing(table, { target, trainRows: split.train, impute: o.impute, ignore: o.ignore });
  note(taskLine(prep, reason));
  const trainTable = selectRows(table, split.train);
  const testTable = selectRows(table, split.test);
  const xTrain = featureMatrix(prep, trainTable);
  const xTest = featureMatrix(prep, testTable);
  note(`data: ${n} rows → ${split.train.length} train / ${split.test.length} test (seed ${o.seed}); ${prep.features.length} feature columns → ${prep.inputNames.length} inputs`);
  for (const w of idColumnWarnings(prep, table)) note(w);

  const widths = networkWidths(prep);
  const network = buildNetwork({
    inputs: widths.inputs, outputs: widths.outputs, hidden: o.hidden, activation: o.activation, dropout: o.dropout,
    head: prep.target.kind, seed: o.seed, inputName: 'features', outputName: prep.target.kind === 'regression' ? 'values' : 'logits',
  }, o.l2);
  // Early stopping watches rows carved out of the training part; otherwise the test rows are
  // only watched (never used to decide anything).
  let fitX = xTrain;
  let fitTable = trainTable;
  let validation = { x: xTest, y: targetsFor(prep, testTable) };
  if (o.earlyStopping > 0) {
    const inner = splitRows(trainTable.rows.length, 0.15, o.seed + 1, classIndices(trainTable, prep.target) ?? undefined);
    if (inner.test.length === 0 || inner.train.length < 2) {
      throw new UserError(`${dataPath}: ${trainTable.rows.length} training rows are too few to hold some out for --early-stopping; add rows or drop --early-stopping`);
    }
    fitTable = selectRows(trainTable, inner.train);
    const valTable = selectRows(trainTable, inner.test);
    fitX = featureMatrix(prep, fitTable);
    validation = { x: featureMatrix(prep, valTable), y: targetsFor(prep, valTable) };
  }
  const epochs = o.epochs ?? autoEpochs(fitTable.rows.length, o.batchSize);
  const settings = { epochs, batchSize: o.batchSize, lr: o.lr, optimizer: o.optimizer, l2: o.l2, seed: o.seed, earlyStopping: o.earlyStopping };
  const metricName = prep.target.kind === 'regression' ? 'r2' : 'accuracy';
  const progress = progressReporter(epochs, metricName, { quiet: !!flags.quiet });
  const started = Date.now();
  let history: TrainHistory;
  try {
    history = await trainNetwork(network, fitX, targetsFor(prep, fitTable), settings, validation, (r) => progress.epoch(r));
  } finally {
    progress.done();
  }
  const seconds = (Date.now() - started) / 1000;

  const trainMetrics = evaluateOn(network, prep, trainTable, xTrain);
  const testMetrics = evaluateOn(network, prep, testTable, xTest);
  const training = { data: dataPath, rows: n, trainRows: split.train.length, testRows: split.test.length, taskReason: reason, ...settings, hidden: o.hidden, activation: o.activation, dropout: o.dropout, testSize: o.testSize, epochsRun: history.epochsRun, bestEpoch: history.bestEpoch };
  saveModelFile(out, network, { preprocessing: prep, training });
  if (flags.plot) writeFileAtomic(flags.plot, curves(history, o.earlyStopping > 0));

  if (flags.json) {
    process.stdout.write(JSON.stringify({
      command: 'train', task: prep.target.kind, taskReason: reason, ...metricsJson(testMetrics),
      train: metricsJson(trainMetrics), test: metricsJson(testMetrics),
      rows: { total: n, train: split.train.length, test: split.test.length }, inputs: prep.inputNames.length,
      epochs: history.epochsRun, bestEpoch: history.bestEpoch, seconds, history: { loss: history.loss, valLoss: history.valLoss, valMetric: history.valMetric },
      model: out, plot: flags.plot ?? null,
    }) + '\n');
    return 0;
  }
  const kept = history.bestEpoch !== history.epochsRun ? `kept the weights of epoch ${history.bestEpoch}, the best validation loss` : '';
  const stopped = history.epochsRun < epochs ? ` (early stopping${kept ? `; ${kept}` : ''})` : kept ? ` (${kept})` : '';
  const lines = [
    taskLine(prep, reason),
    `trained ${history.epochsRun} epochs in ${seconds.toFixed(1)} s${stopped}`,
    '',
    metricsText([{ name: 'train', m: trainMetrics }, { name: 'test', m: testMetrics }]),
    '',
    'model summary:',
    networkSummary(network),
    '',
    `model saved to ${out} (with its preprocessing: ${prep.inputNames.length} inputs${prep.impute !== 'none' ? `, --impute ${prep.impute}` : ''})`,
  ];
  if (flags.plot) lines.push(`training curves saved to ${flags.plot}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function curves(h: TrainHistory, earlyStopping: boolean): string {
  const val = earlyStopping ? 'validation' : 'test';
  return trainingCurvesSvg(
    [{ name: 'train loss', values: h.loss, color: '#1f77b4' }, { name: `${val} loss`, values: h.valLoss, color: '#ff7f0e' }],
    [{ name: `${val} ${h.metricName === 'r2' ? 'R²' : 'accuracy'}`, values: h.valMetric, color: '#2ca02c' }],
    h.metricName === 'r2' ? 'R² (standardised targets)' : 'accuracy',
  );
}


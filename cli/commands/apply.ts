// `sloika predict` and `sloika eval`: apply a trained model to a CSV file.

import { decodeOutputs, encodeFeatures, encodeTargets, hasTargets, type Decoded, type Preprocessing } from '../../src/data/preprocess.js';
import type { Table } from '../../src/data/table.js';
import { readCsv, toCsv } from '../csv.js';
import { predictRaw } from '../engine/index.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { metricsFor } from '../metrics.js';
import { loadModelFile, requirePreprocessing, type LoadedModel } from '../model-file.js';
import { checkWritable } from '../options.js';
import { metricsJson, metricsText } from '../report.js';

function apply(model: LoadedModel, prep: Preprocessing, table: Table, quiet: boolean): Decoded {
  const fx = encodeFeatures(prep, table);
  if (!quiet) for (const w of fx.warnings) process.stderr.write(`warning: ${w}\n`);
  return decodeOutputs(prep.target, predictRaw(model.network, { data: fx.x, rows: fx.rows, cols: fx.width }), fx.rows);
}

/** Short number text that keeps the precision a CSV reader needs. */
function numText(v: number): string {
  return String(Number(v.toPrecision(7)));
}

/** Prediction columns appended to the input columns, with names that cannot clash. */
function predictionColumns(table: Table, d: Decoded): { header: string[]; cells: (i: number) => string[] } {
  const taken = new Set(table.columns);
  const unique = (name: string): string => {
    let n = name;
    while (taken.has(n)) n = `${n}_`;
    taken.add(n);
    return n;
  };
  if (d.kind === 'regression') {
    const m = d.columns.length;
    return { header: d.columns.map((c) => unique(`predicted_${c}`)), cells: (i) => d.columns.map((_, k) => numText(d.values[i * m + k]!)) };
  }
  const K = d.classes.length;
  const header = ['predicted', ...d.classes.map((c) => `probability_${c}`)].map(unique);
  return { header, cells: (i) => [d.labels[i]!, ...d.classes.map((_, k) => d.probabilities[i * K + k]!.toFixed(6))] };
}

/** Run `sloika predict MODEL DATA.csv [--out preds.csv]`. */
export function predictCommand(modelPath: string, dataPath: string, flags: { out?: string; quiet?: boolean }): number {
  if (flags.out) checkWritable('--out', flags.out);
  const model = loadModelFile(modelPath);
  const prep = requirePreprocessing(model, modelPath, 'predict');
  const table = readCsv(dataPath);
  const decoded = apply(model, prep, table, !!flags.quiet);
  const cols = predictionColumns(table, decoded);
  const text = toCsv([...table.columns, ...cols.header], table.rows.map((r, i) => [...r, ...cols.cells(i)]));
  if (flags.out) {
    writeFileAtomic(flags.out, text);
    if (!flags.quiet) process.stderr.write(`wrote ${table.rows.length} predictions to ${flags.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

/** Run `sloika eval MODEL DATA.csv [--json]`. */
export function evalCommand(modelPath: string, dataPath: string, flags: { json?: boolean; quiet?: boolean }): number {
  const model = loadModelFile(modelPath);
  const prep = requirePreprocessing(model, modelPath, 'eval');
  const table = readCsv(dataPath);
  if (!hasTargets(prep.target, table)) {
    const t = prep.target;
    const cols = t.kind === 'regression' ? t.columns : [t.column];
    const missing = cols.filter((c) => !table.columns.includes(c));
    throw new UserError(`${dataPath} has no target column ${missing.map((c) => `"${c}"`).join(', ')}; eval needs labelled rows (use \`sloika predict\` for unlabelled data)`);
  }
  const truth = encodeTargets(prep.target, table);
  const metrics = metricsFor(prep.target, apply(model, prep, table, !!flags.quiet), truth);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ command: 'eval', task: prep.target.kind, ...metricsJson(metrics) }) + '\n');
  } else {
    process.stdout.write(`${dataPath}: ${table.rows.length} rows, ${prep.target.kind}\n${metricsText([{ name: 'eval', m: metrics }])}\n`);
  }
  return 0;
}

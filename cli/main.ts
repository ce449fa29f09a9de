#!/usr/bin/env node
// The `sloika` command: train, predict, eval, summary and graph on CSV files.
// Exit codes: 0 success, 2 a user error (one line on stderr), 1 an internal error.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { evalCommand, predictCommand } from './commands/apply.js';
import { graphCommand, summaryCommand } from './commands/describe.js';
import { exportCommand } from './commands/export.js';
import { TRAIN_DEFAULTS, trainCommand, type TrainFlags } from './commands/train.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, describeError } from './errors.js';

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

function example(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** The command tree; `run` sets the exit code through the actions' results. */
function program(setCode: (code: number) => void): Command {
  const p = new Command('sloika')
    .description('Train fully-connected neural networks on CSV files and apply them.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s.replace(/^error: /, 'sloika: ')) })
    .showSuggestionAfterError(true)
    .addHelpText('after', example('sloika train iris.csv --target species --out iris.sloika', 'sloika predict iris.sloika new.csv --out preds.csv'));

  const d = TRAIN_DEFAULTS;
  p.command('train')
    .description('train a network on DATA.csv and report train/test metrics; the model keeps its preprocessing')
    .argument('<DATA.csv>', 'CSV file with a header row')
    .requiredOption('--target <COL[,COL...]>', 'target column(s); several columns mean multi-output regression')
    .addOption(new Option('--task <task>', 'head: auto-detected from the target unless given').choices(['auto', 'binary', 'multiclass', 'regression']).default(d.task))
    .option('--hidden <widths>', 'hidden layer widths, comma-separated ("none" for a linear model)', d.hidden)
    .addOption(new Option('--activation <name>', 'activation of the hidden layers').choices(['relu', 'leaky-relu', 'prelu', 'elu', 'sigmoid', 'tanh']).default(d.activation))
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['adam', 'sgd', 'momentum', 'rmsprop', 'adamw']).default(d.optimizer))
    .option('--lr <rate>', 'learning rate', d.lr)
    .option('--epochs <n>', 'passes over the training rows ("auto": 200, fewer on large files to stay near 40,000 steps)', d.epochs)
    .option('--batch-size <n>', 'rows per gradient step', d.batchSize)
    .option('--l2 <lambda>', 'L2 penalty lambda·ΣW² on every Linear layer\'s weights', d.l2)
    .option('--dropout <rate>', 'dropout rate after each hidden layer, in [0, 1)', d.dropout)
    .option('--test-size <fraction>', 'share of rows held out for the test metrics', d.testSize)
    .option('--seed <n>', 'seed for the split, the initial weights and the shuffling', d.seed)
    .option('--early-stopping <patience>', 'stop after this many epochs without a better validation loss (15% of the training rows) and keep the best weights; 0 = off', d.earlyStopping)
    .addOption(new Option('--impute <how>', 'fill empty/NA cells: numbers with the training mean or median, text with the most frequent value').choices(['none', 'mean', 'median']).default(d.impute))
    .option('--ignore <COL[,COL...]>', 'columns to leave out of the inputs (ids, free text)')
    .option('--out <MODEL>', 'where to save the model (default: DATA.sloika in the current folder)')
    .option('--plot <FILE.svg>', 'write the loss and metric curves as an SVG file')
    .option('--quiet', 'no progress or notes on stderr')
    .option('--json', 'print one JSON object with the results on stdout')
    .addHelpText('after', example(
      'sloika train iris.csv --target target --out iris.sloika',
      'sloika train houses.csv --target price,rent --hidden 32 --epochs 300 --plot curves.svg --json',
    ))
    .action(async (data: string, flags: TrainFlags) => setCode(await trainCommand(data, flags)));

  p.command('predict')
    .description('predict every row of DATA.csv: labels and per-class probabilities, or values in original units')
    .argument('<MODEL>', 'model file written by `sloika train`')
    .argument('<DATA.csv>', 'rows to predict (the target column may be absent)')
    .option('--out <preds.csv>', 'write the predictions here (default: stdout)')
    .option('--quiet', 'no notes or warnings on stderr')
    .addHelpText('after', example('sloika predict iris.sloika new-flowers.csv --out preds.csv'))
    .action((model: string, data: string, flags: { out?: string; quiet?: boolean }) => setCode(predictCommand(model, data, flags)));

  p.command('eval')
    .description('the metrics of the training report on new labelled rows')
    .argument('<MODEL>', 'model file written by `sloika train`')
    .argument('<DATA.csv>', 'labelled rows (with the target column)')
    .option('--json', 'print one JSON object: accuracy, or r2/rmse/mae (+ perTarget)')
    .option('--quiet', 'no warnings on stderr')
    .addHelpText('after', example('sloika eval iris.sloika holdout.csv --json'))
    .action((model: string, data: string, flags: { json?: boolean; quiet?: boolean }) => setCode(evalCommand(model, data, flags)));

  p.command('summary')
    .description('print the layers, shapes and parameter counts of a model, and its preprocessing')
    .argument('<MODEL>', 'model file')
    .addHelpText('after', example('sloika summary iris.sloika'))
    .action((model: string) => setCode(summaryCommand(model)));

  p.command('graph')
    .description('draw the computational graph of a model as SVG, Mermaid or DOT ("-" for stdout)')
    .argument('<MODEL>', 'model file')
    .option('--svg <OUT>', 'SVG picture')
    .option('--mermaid <OUT>', 'Mermaid text')
    .option('--dot <OUT>', 'Graphviz DOT text')
    .option('--quiet', 'no notes on stderr')
    .addHelpText('after', example('sloika graph iris.sloika --svg iris.svg', 'sloika graph iris.sloika --mermaid -'))
    .action((model: string, flags: { svg?: string; mermaid?: string; dot?: string; quiet?: boolean }) => setCode(graphCommand(model, flags)));

  p.command('export')
    .description('write the model as an ONNX file (opset 13) for ONNX Runtime and other engines; it takes raw columns and gives probabilities or values in original units')
    .argument('<MODEL>', 'model file')
    .requiredOption('--onnx <OUT.onnx>', 'where to write the ONNX file')
    .option('--quiet', 'no notes on stderr')
    .addHelpText('after', example('sloika export iris.sloika --onnx iris.onnx'))
    .action((model: string, flags: { onnx?: string; quiet?: boolean }) => setCode(exportCommand(model, flags)));
  return p;
}

/** Parse `argv` (without node and script), run, and return the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  const p = program((c) => (code = c));
  if (argv.length === 0) {
    process.stderr.write(p.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await p.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
    }
    const { line, code: exit } = describeError(err);
    process.stderr.write(`sloika: ${line}\n`);
    if (exit === EXIT_INTERNAL && process.env.SLOIKA_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return exit;
  }
}

// Ctrl-C (or a kill) during training: stop at once. The model is written only after training,
// atomically and synchronously (this handler cannot run in the middle of a write), so no
// partial model file can appear.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    process.stderr.write('\nsloika: interrupted; nothing was saved\n');
    process.exit(code);
  });
}

// `sloika predict model data.csv | head`: the reader closed the pipe early. Stop quietly, as
// Unix tools do, instead of crashing with an EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT_OK);
  throw err;
});

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sloika: internal error: ${String(err)}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);

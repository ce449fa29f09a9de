// `sloika export MODEL --onnx OUT.onnx`: the model as an ONNX file for ONNX Runtime & co.

import { networkModel } from '../engine/onnx.js';
import { toOnnx } from '../../src/index.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { loadModelFile } from '../model-file.js';
import { checkWritable } from '../options.js';

/** Run `sloika export MODEL --onnx OUT.onnx`. */
export function exportCommand(modelPath: string, flags: { onnx?: string; quiet?: boolean }): number {
  if (flags.onnx === undefined) throw new UserError('give the output file: sloika export MODEL --onnx OUT.onnx');
  checkWritable('--onnx', flags.onnx);
  const loaded = loadModelFile(modelPath);
  const model = networkModel(loaded.network, loaded.metadata);
  writeFileAtomic(flags.onnx, toOnnx(model));
  if (!flags.quiet) {
    const [inName] = model.inputNames;
    const [outName] = model.outputNames;
    const head = model.heads[0]?.kind;
    const names = loaded.preprocessing?.inputNames ?? [];
    const reads = loaded.preprocessing
      ? `the columns ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''} (numbers as they are in the CSV, standardised inside; text as one-hot 0/1)`
      : 'the network inputs';
    const gives = head === 'multiclass' ? 'class probabilities' : head === 'binary' ? 'the probability of the positive class' : loaded.preprocessing ? 'values in original units' : 'values';
    process.stderr.write(
      `wrote ${flags.onnx} (ONNX opset 13): input '${inName}' [N, ${model.inputFeatures(inName!)}] takes ${reads}; output '${outName}' [N, ${model.outputFeatures(outName!)}] gives ${gives}\n`,
    );
  }
  return 0;
}

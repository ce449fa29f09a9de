// `sloika summary MODEL` and `sloika graph MODEL --svg|--mermaid|--dot OUT`.

import type { Preprocessing } from '../../src/data/preprocess.js';
import { drawNetwork, networkSummary } from '../engine/index.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { loadModelFile } from '../model-file.js';
import { checkWritable } from '../options.js';

/** A category as listed in the summary: quoted when it holds a comma, so the list stays readable. */
function categoryText(c: string): string {
  return c.includes(',') ? JSON.stringify(c) : c;
}

function preprocessingText(prep: Preprocessing): string {
  const t = prep.target;
  const lines = [
    t.kind === 'regression'
      ? `task: regression of ${t.columns.join(', ')} (targets standardised; predictions in original units)`
      : `task: ${t.kind} classification of "${t.column}", classes ${t.classes.join(', ')}`,
    `inputs: ${prep.features.length} columns → ${prep.inputNames.length} network inputs${prep.impute !== 'none' ? ` (missing cells: --impute ${prep.impute})` : ''}`,
  ];
  for (const f of prep.features) {
    lines.push(f.kind === 'numeric'
      ? `  ${f.name}: numeric, standardised (mean ${Number(f.mean.toPrecision(6))}, std ${Number(f.std.toPrecision(6))})${f.fill !== null ? `, fill ${Number(f.fill.toPrecision(6))}` : ''}`
      : `  ${f.name}: text, one-hot over ${f.categories.length} categories (${f.categories.slice(0, 6).map(categoryText).join(', ')}${f.categories.length > 6 ? ', …' : ''})${f.fill !== null ? `, fill "${f.fill}"` : ''}`);
  }
  return lines.join('\n');
}

/** Run `sloika summary MODEL`. */
export function summaryCommand(modelPath: string): number {
  const model = loadModelFile(modelPath);
  const parts = [networkSummary(model.network)];
  if (model.preprocessing) parts.push('', preprocessingText(model.preprocessing));
  process.stdout.write(parts.join('\n') + '\n');
  return 0;
}

/** Run `sloika graph MODEL --svg|--mermaid|--dot OUT` (OUT "-" writes to stdout). */
export function graphCommand(modelPath: string, flags: { svg?: string; mermaid?: string; dot?: string; quiet?: boolean }): number {
  const chosen = (['svg', 'mermaid', 'dot'] as const).filter((f) => flags[f] !== undefined);
  if (chosen.length !== 1) throw new UserError(`give exactly one of --svg FILE, --mermaid FILE or --dot FILE${chosen.length ? ` (got --${chosen.join(', --')})` : ''}`);
  const format = chosen[0]!;
  const out = flags[format]!;
  if (out !== '-') checkWritable(`--${format}`, out);
  const model = loadModelFile(modelPath);
  const text = drawNetwork(model.network, format);
  if (out === '-') process.stdout.write(text);
  else {
    writeFileAtomic(out, text);
    if (!flags.quiet) process.stderr.write(`wrote the graph (${format}) to ${out}\n`);
  }
  return 0;
}

// Training progress on stderr: a live bar on a terminal, a few plain lines otherwise (logs, CI).

import cliProgress from 'cli-progress';
import type { EpochReport } from './engine/index.js';

export interface Progress {
  epoch(r: EpochReport): void;
  done(): void;
}

const PLAIN_LINES = 20;

function fmt(v: number | null): string {
  return v === null ? '-' : v.toFixed(4);
}

/**
 * A progress reporter for `epochs` epochs: bar on a TTY, ~20 plain lines otherwise, nothing when quiet.
 * @example const p = progressReporter(100, 'accuracy', { quiet: false }); p.epoch(report); p.done();
 */
export function progressReporter(epochs: number, metricName: string, opts: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { epoch() {}, done() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `epoch {value}/{total} |{bar}| loss {loss}  val ${metricName} {metric}  ETA {eta_formatted}`,
        stream,
        barsize: 24,
        hideCursor: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(epochs, 0, { loss: '-', metric: '-' });
    return {
      epoch: (r) => bar.update(r.epoch, { loss: fmt(r.loss), metric: fmt(r.valMetric) }),
      done: () => bar.stop(),
    };
  }
  const stride = Math.max(1, Math.ceil(epochs / PLAIN_LINES));
  const started = Date.now();
  let last = 0;
  const line = (r: EpochReport): void => {
    const eta = ((Date.now() - started) / r.epoch) * (r.epochs - r.epoch);
    stream.write(`epoch ${r.epoch}/${r.epochs}  loss ${fmt(r.loss)}  val_loss ${fmt(r.valLoss)}  val_${metricName} ${fmt(r.valMetric)}  eta ${(eta / 1000).toFixed(1)}s\n`);
    last = r.epoch;
  };
  let pending: EpochReport | null = null;
  return {
    epoch(r) {
      pending = r;
      if (r.epoch === 1 || r.epoch % stride === 0 || r.epoch === r.epochs) line(r);
    },
    done() {
      if (pending && pending.epoch !== last) line(pending); // early stopping ended between strides
    },
  };
}

import { Model } from '../../graph/model.js';
import { toOnnx, type ToOnnxOptions } from './export.js';

// `model.toOnnx()` as the issue and the README spell it. The graph layer cannot import io
// (imports go downward only), so the method is added here, when the package root loads.

declare module '../../graph/model.js' {
  interface Model {
    /**
     * The model as ONNX bytes (see `toOnnx`).
     * @example writeFileSync('model.onnx', model.toOnnx());
     */
    toOnnx(opts?: ToOnnxOptions): Uint8Array;
  }
}

Model.prototype.toOnnx = function toOnnxMethod(this: Model, opts?: ToOnnxOptions): Uint8Array {
  return toOnnx(this, opts);
};

// ONNX export and import (see README "Running sloika models elsewhere").
import './method.js';

export { toOnnx, type ToOnnxOptions } from './export.js';
export { loadOnnx } from './import.js';
export { ONNX_OPSET } from './names.js';
export { EXPORTABLE_KINDS } from './exportOps.js';
export { SUPPORTED_OPS as ONNX_IMPORT_OPS } from './importOps.js';

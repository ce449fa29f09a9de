// Fixed names and numbers shared by the exporter and the importer.

/** Opset written (Softmax before 13 had other axis semantics). */
export const ONNX_OPSET = 13;
/** IR version 7 goes with opset 13 (what PyTorch writes for it). */
export const IR_VERSION = 7;
/** The symbolic batch dimension. */
export const BATCH_DIM = 'N';
/** Prefix of nodes that carry preprocessing or head transforms, so the importer can undo them. */
export const SLOIKA_PREFIX = 'sloika';
/** metadata_props keys written (and read back by loadOnnx). */
export const META_HEADS = 'sloika.heads';
export const META_METADATA = 'sloika.metadata';


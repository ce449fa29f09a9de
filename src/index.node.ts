// sloika for Node: everything the package root exports, plus the helper threads that let large
// float32 matrix products use a second core. `import … from 'sloika'` in Node resolves here (the
// "node" condition of package.json); browsers get src/index.ts, which starts no threads.
// The threads start lazily, on the first product large enough to repay them, and never keep a
// script alive (their workers are unref'd).
import './kernels/wasm/threads.node.js';

export * from './index.js';

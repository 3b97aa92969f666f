// Runs an ONNX file in ONNX Runtime (npm onnxruntime-node) on one float32 input and
// writes its output, for fugo's export tests (interop/onnx/onnx_test.go).
//
//   node run.js MODEL.onnx INPUT.bin DIMS OUTPUT.bin
//
// INPUT.bin holds little-endian float32 values of shape DIMS ("5,784"); the graph's
// input is "input" and its output "output". OUTPUT.bin receives the output's float32
// values and the line printed on stdout is its shape as JSON.
// Install once: npm ci --ignore-scripts (in this folder; the CPU runtime is bundled).
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, input, dims, output] = process.argv.slice(2);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const shape = dims.split(',').map(Number);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const result = await session.run({ input: new ort.Tensor('float32', Float32Array.from(data), shape) });
  const out = result.output;
  fs.writeFileSync(output, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  console.log(JSON.stringify(out.dims));
}

main().catch((e) => { console.error(String(e && e.message || e)); process.exit(1); });

const pos = new Float32Array(30000).map(() => Math.random());
const N = 160e6, n = 10000;
let state = 1, acc = 0;
let t0 = performance.now();
for (let p = 0; p < N; p++) {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const m = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  const mo = m * 3;
  acc += pos[mo] + pos[mo + 1] + pos[mo + 2];
}
console.log('mulberry+loads ns', ((performance.now() - t0) / N * 1e6).toFixed(2), acc);
t0 = performance.now();
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const T = new Float32Array(30000).map(() => Math.random());
let x = 1.234;
for (let p = 0; p < N; p++) {
  f32[0] = x; const bits = u32[0]; const idx = (bits >>> 14) - 100000;
  const v = T[idx & 16383];
  x = 1 + (v + (T[(idx + 1) & 16383] - v) * ((bits & 16383) * (1/16384))) * 0.5;
}
console.log('table chain ns', ((performance.now() - t0) / N * 1e6).toFixed(2), x);

;; SIMD kernels for the neighbour searches, the PCA and t-SNE (see simd.ts for who calls which).
;; Built by `npm run build:wasm` (scripts/build-wasm.mjs) into simd.wasm and simd-wasm.ts.
;;
;; Every f64x2 lane holds one of the JavaScript kernels' running sums and adds the same products
;; in the same order (no fused multiply-add), so each result is bit for bit the JavaScript one:
;; the lanes run across pairs of rows (gram, sparse) or across the JavaScript's four partial sums
;; (rowCos, rowEuc), never across a reordered sum. The caller lays out the memory.
(module
  (memory (export "memory") 1)

  ;; G[a*32 + b] = A_a . B_b for a < na, b < nb (na, nb rounded up to 4; padding rows are zero).
  ;; A and B: groups of 4 rows interleaved, group q at + q*4*d*8, entry (row 4q + l, column j) at
  ;; + j*32 + l*8, so four rows of A meet four rows of B in four scalar and two vector loads.
  (func (export "gram")
    (param $a i32) (param $b i32) (param $na i32) (param $nb i32) (param $d i32) (param $g i32)
    (local $row i32) (local $ai i32) (local $bq i32) (local $x0 i32) (local $xend i32) (local $yp i32) (local $go i32)
    (local $y0 v128) (local $y1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $row (i32.shl (local.get $d) (i32.const 3)))
    (block $doneA
      (loop $loopA
        (br_if $doneA (i32.ge_u (local.get $ai) (local.get $na)))
        (local.set $bq (i32.const 0))
        (block $doneB
          (loop $loopB
            (br_if $doneB (i32.ge_u (local.get $bq) (local.get $nb)))
            (local.set $x0 (i32.add (local.get $a) (i32.mul (local.get $ai) (local.get $row))))
            (local.set $xend (i32.add (local.get $x0) (i32.shl (local.get $row) (i32.const 2))))
            (local.set $yp (i32.add (local.get $b) (i32.mul (local.get $bq) (local.get $row))))
            (local.set $c00 (v128.const i64x2 0 0))
            (local.set $c01 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0))
            (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c20 (v128.const i64x2 0 0))
            (local.set $c21 (v128.const i64x2 0 0))
            (local.set $c30 (v128.const i64x2 0 0))
            (local.set $c31 (v128.const i64x2 0 0))
            (block $doneJ
              (loop $loopJ
                (br_if $doneJ (i32.ge_u (local.get $x0) (local.get $xend)))
                (local.set $y0 (v128.load (local.get $yp)))
                (local.set $y1 (v128.load offset=16 (local.get $yp)))
                (local.set $x (f64x2.splat (f64.load (local.get $x0))))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $y0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $y1))))
                (local.set $x (f64x2.splat (f64.load offset=8 (local.get $x0))))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $y0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $y1))))
                (local.set $x (f64x2.splat (f64.load offset=16 (local.get $x0))))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $y0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $y1))))
                (local.set $x (f64x2.splat (f64.load offset=24 (local.get $x0))))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $y0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $y1))))
                (local.set $x0 (i32.add (local.get $x0) (i32.const 32)))
                (local.set $yp (i32.add (local.get $yp) (i32.const 32)))
                (br $loopJ)))
            ;; Rows of G are 32 doubles (256 bytes) apart.
            (local.set $go (i32.add (local.get $g)
              (i32.shl (i32.add (i32.shl (local.get $ai) (i32.const 5)) (local.get $bq)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $c00))
            (v128.store offset=16 (local.get $go) (local.get $c01))
            (v128.store offset=256 (local.get $go) (local.get $c10))
            (v128.store offset=272 (local.get $go) (local.get $c11))
            (v128.store offset=512 (local.get $go) (local.get $c20))
            (v128.store offset=528 (local.get $go) (local.get $c21))
            (v128.store offset=768 (local.get $go) (local.get $c30))
            (v128.store offset=784 (local.get $go) (local.get $c31))
            (local.set $bq (i32.add (local.get $bq) (i32.const 4)))
            (br $loopB)))
        (local.set $ai (i32.add (local.get $ai) (i32.const 4)))
        (br $loopA))))

  ;; G[a*32 + b] = X_ids[a] . X_ids[b] for a < na, b < nb (multiples of 4, at most 32; ids padded
  ;; with any row): X row-major, d doubles a row, at $x; ids: i32 at $ids. Four rows of each side at
  ;; a time: the B rows' values paired into two f64x2 per column, each lane one pair's running sum
  ;; in column order (the approximate search's tiles, ../knn/approx/descent.ts, read rows where they lie).
  (func (export "gramIds")
    (param $x i32) (param $ids i32) (param $na i32) (param $nb i32) (param $d i32) (param $g i32)
    (local $row i32) (local $ai i32) (local $bq i32) (local $j i32) (local $go i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $y01 v128) (local $y23 v128) (local $v v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $row (i32.shl (local.get $d) (i32.const 3)))
    (block $doneA
      (loop $loopA
        (br_if $doneA (i32.ge_u (local.get $ai) (local.get $na)))
        (local.set $bq (i32.const 0))
        (block $doneB
          (loop $loopB
            (br_if $doneB (i32.ge_u (local.get $bq) (local.get $nb)))
            (local.set $a0 (i32.add (local.get $x) (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $ai) (i32.const 2)))) (local.get $row))))
            (local.set $a1 (i32.add (local.get $x) (i32.mul (i32.load offset=4 (i32.add (local.get $ids) (i32.shl (local.get $ai) (i32.const 2)))) (local.get $row))))
            (local.set $a2 (i32.add (local.get $x) (i32.mul (i32.load offset=8 (i32.add (local.get $ids) (i32.shl (local.get $ai) (i32.const 2)))) (local.get $row))))
            (local.set $a3 (i32.add (local.get $x) (i32.mul (i32.load offset=12 (i32.add (local.get $ids) (i32.shl (local.get $ai) (i32.const 2)))) (local.get $row))))
            (local.set $b0 (i32.add (local.get $x) (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $bq) (i32.const 2)))) (local.get $row))))
            (local.set $b1 (i32.add (local.get $x) (i32.mul (i32.load offset=4 (i32.add (local.get $ids) (i32.shl (local.get $bq) (i32.const 2)))) (local.get $row))))
            (local.set $b2 (i32.add (local.get $x) (i32.mul (i32.load offset=8 (i32.add (local.get $ids) (i32.shl (local.get $bq) (i32.const 2)))) (local.get $row))))
            (local.set $b3 (i32.add (local.get $x) (i32.mul (i32.load offset=12 (i32.add (local.get $ids) (i32.shl (local.get $bq) (i32.const 2)))) (local.get $row))))
            (local.set $c00 (v128.const i64x2 0 0))
            (local.set $c01 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0))
            (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c20 (v128.const i64x2 0 0))
            (local.set $c21 (v128.const i64x2 0 0))
            (local.set $c30 (v128.const i64x2 0 0))
            (local.set $c31 (v128.const i64x2 0 0))
            (local.set $j (i32.const 0))
            (block $doneJ
              (loop $loopJ
                (br_if $doneJ (i32.ge_u (local.get $j) (local.get $row)))
                (local.set $y01 (f64x2.replace_lane 1
                  (v128.load64_zero (i32.add (local.get $b0) (local.get $j)))
                  (f64.load (i32.add (local.get $b1) (local.get $j)))))
                (local.set $y23 (f64x2.replace_lane 1
                  (v128.load64_zero (i32.add (local.get $b2) (local.get $j)))
                  (f64.load (i32.add (local.get $b3) (local.get $j)))))
                (local.set $v (v128.load64_splat (i32.add (local.get $a0) (local.get $j))))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $v) (local.get $y01))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $v) (local.get $y23))))
                (local.set $v (v128.load64_splat (i32.add (local.get $a1) (local.get $j))))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $v) (local.get $y01))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $v) (local.get $y23))))
                (local.set $v (v128.load64_splat (i32.add (local.get $a2) (local.get $j))))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $v) (local.get $y01))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $v) (local.get $y23))))
                (local.set $v (v128.load64_splat (i32.add (local.get $a3) (local.get $j))))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $v) (local.get $y01))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $v) (local.get $y23))))
                (local.set $j (i32.add (local.get $j) (i32.const 8)))
                (br $loopJ)))
            ;; Rows of G are 32 doubles (256 bytes) apart.
            (local.set $go (i32.add (local.get $g)
              (i32.shl (i32.add (i32.shl (local.get $ai) (i32.const 5)) (local.get $bq)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $c00))
            (v128.store offset=16 (local.get $go) (local.get $c01))
            (v128.store offset=256 (local.get $go) (local.get $c10))
            (v128.store offset=272 (local.get $go) (local.get $c11))
            (v128.store offset=512 (local.get $go) (local.get $c20))
            (v128.store offset=528 (local.get $go) (local.get $c21))
            (v128.store offset=768 (local.get $go) (local.get $c30))
            (v128.store offset=784 (local.get $go) (local.get $c31))
            (local.set $bq (i32.add (local.get $bq) (i32.const 4)))
            (br $loopB)))
        (local.set $ai (i32.add (local.get $ai) (i32.const 4)))
        (br $loopA))))

  ;; out[c] = X_q . X_ids[c] for c < count (a multiple of 4): row q against listed rows, four at a
  ;; time, each lane one candidate's running sum in column order (the widening's nearest of
  ;; neighbours' neighbours, ../knn/approx/descent.ts). X row-major, d doubles a row, at $x.
  (func (export "rowIds")
    (param $x i32) (param $q i32) (param $ids i32) (param $count i32) (param $d i32) (param $out i32)
    (local $row i32) (local $c i32) (local $j i32) (local $qp i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $v v128) (local $c01 v128) (local $c23 v128)
    (local.set $row (i32.shl (local.get $d) (i32.const 3)))
    (local.set $qp (i32.add (local.get $x) (i32.mul (local.get $q) (local.get $row))))
    (block $doneC
      (loop $loopC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $count)))
        (local.set $b0 (i32.add (local.get $x) (i32.mul (i32.load (local.get $ids)) (local.get $row))))
        (local.set $b1 (i32.add (local.get $x) (i32.mul (i32.load offset=4 (local.get $ids)) (local.get $row))))
        (local.set $b2 (i32.add (local.get $x) (i32.mul (i32.load offset=8 (local.get $ids)) (local.get $row))))
        (local.set $b3 (i32.add (local.get $x) (i32.mul (i32.load offset=12 (local.get $ids)) (local.get $row))))
        (local.set $c01 (v128.const i64x2 0 0))
        (local.set $c23 (v128.const i64x2 0 0))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $row)))
            (local.set $v (v128.load64_splat (i32.add (local.get $qp) (local.get $j))))
            (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $v)
              (f64x2.replace_lane 1 (v128.load64_zero (i32.add (local.get $b0) (local.get $j))) (f64.load (i32.add (local.get $b1) (local.get $j)))))))
            (local.set $c23 (f64x2.add (local.get $c23) (f64x2.mul (local.get $v)
              (f64x2.replace_lane 1 (v128.load64_zero (i32.add (local.get $b2) (local.get $j))) (f64.load (i32.add (local.get $b3) (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $loopJ)))
        (v128.store (local.get $out) (local.get $c01))
        (v128.store offset=16 (local.get $out) (local.get $c23))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $loopC))))

  ;; out[c] = sum over row ids[c]'s non-zeros p of a[col[p]] * val[p], for c < count: compressed
  ;; rows (val f32, col i32, ptr i32 with n + 1 entries) against a dense row a of doubles, the lanes
  ;; the JavaScript's two running sums (even and odd non-zeros, the odd one out into the first),
  ;; added at the end (the re-rank's exact distances, ../knn/metric.ts).
  (func (export "sparseRowIds")
    (param $a i32) (param $val i32) (param $col i32) (param $ptr i32) (param $ids i32) (param $count i32) (param $out i32)
    (local $c i32) (local $p i32) (local $p1 i32) (local $j i32) (local $cp i32)
    (local $acc v128) (local $s0 f64)
    (block $doneC
      (loop $loopC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $count)))
        (local.set $j (i32.load (i32.add (local.get $ids) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $p1 (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $acc (v128.const i64x2 0 0))
        (block $doneP
          (loop $loopP
            (br_if $doneP (i32.gt_s (i32.add (local.get $p) (i32.const 2)) (local.get $p1)))
            (local.set $cp (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul
              (f64x2.replace_lane 1
                (v128.load64_zero (i32.add (local.get $a) (i32.shl (i32.load (local.get $cp)) (i32.const 3))))
                (f64.load (i32.add (local.get $a) (i32.shl (i32.load offset=4 (local.get $cp)) (i32.const 3)))))
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))))))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))
            (br $loopP)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $acc)))
        (if (i32.lt_s (local.get $p) (local.get $p1))
          (then
            (local.set $s0 (f64.add (local.get $s0) (f64.mul
              (f64.load (i32.add (local.get $a) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3))))
              (f64.promote_f32 (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3)))
          (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $acc))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $loopC))))

  ;; Mostly-zero rows against a transposed block: for r in [r0, r1) and lane l < lanes (a multiple
  ;; of 16), g[(r - r0)*32 + l] = sum over row r's non-zeros p of val[p] * at[col[p]*32 + l].
  ;; val: doubles; col, ptr: i32 (ptr absolute, n + 1 entries); at: d x 32 doubles.
  (func (export "sparse")
    (param $val i32) (param $col i32) (param $ptr i32) (param $r0 i32) (param $r1 i32)
    (param $at i32) (param $lanes i32) (param $g i32)
    (local $r i32) (local $p i32) (local $p0 i32) (local $p1 i32) (local $cb i32)
    (local $base i32) (local $go i32) (local $v v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $r (local.get $r0))
    (block $doneR
      (loop $loopR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $p0 (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $p1 (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $cb (i32.const 0))
        (block $doneC
          (loop $loopC
            (br_if $doneC (i32.ge_u (local.get $cb) (local.get $lanes)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $s1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0))
            (local.set $s3 (v128.const i64x2 0 0))
            (local.set $s4 (v128.const i64x2 0 0))
            (local.set $s5 (v128.const i64x2 0 0))
            (local.set $s6 (v128.const i64x2 0 0))
            (local.set $s7 (v128.const i64x2 0 0))
            (local.set $p (local.get $p0))
            (block $doneP
              (loop $loopP
                (br_if $doneP (i32.ge_u (local.get $p) (local.get $p1)))
                (local.set $v (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $base (i32.add (local.get $at)
                  (i32.shl
                    (i32.add
                      (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 5))
                      (local.get $cb))
                    (i32.const 3))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $base)))))
                (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $base)))))
                (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $base)))))
                (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $base)))))
                (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (local.get $v) (v128.load offset=80 (local.get $base)))))
                (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (local.get $v) (v128.load offset=96 (local.get $base)))))
                (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (local.get $v) (v128.load offset=112 (local.get $base)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $loopP)))
            (local.set $go (i32.add (local.get $g)
              (i32.shl (i32.add (i32.shl (i32.sub (local.get $r) (local.get $r0)) (i32.const 5)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (v128.store offset=16 (local.get $go) (local.get $s1))
            (v128.store offset=32 (local.get $go) (local.get $s2))
            (v128.store offset=48 (local.get $go) (local.get $s3))
            (v128.store offset=64 (local.get $go) (local.get $s4))
            (v128.store offset=80 (local.get $go) (local.get $s5))
            (v128.store offset=96 (local.get $go) (local.get $s6))
            (v128.store offset=112 (local.get $go) (local.get $s7))
            (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
            (br $loopC)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $loopR))))

  ;; One row q (d doubles) against rows [0, n) of f32 data: out[2i] = q . row_i, out[2i+1] =
  ;; |row_i|^2, each from four running sums over columns c = 0, 1, 2, 3 (mod 4), tail into the
  ;; first, added ((s0 + s1) + s2) + s3: the JavaScript's scanCosine exactly.
  (func (export "rowCos")
    (param $q i32) (param $data i32) (param $n i32) (param $d i32) (param $out i32)
    (local $i i32) (local $o i32) (local $c i32) (local $d4 i32) (local $qp i32)
    (local $p01 v128) (local $p23 v128) (local $r01 v128) (local $r23 v128)
    (local $y01 v128) (local $y23 v128)
    (local $p0 f64) (local $r0 f64) (local $y f64)
    (local.set $d4 (i32.and (local.get $d) (i32.const -4)))
    (local.set $o (local.get $data))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p01 (v128.const i64x2 0 0))
        (local.set $p23 (v128.const i64x2 0 0))
        (local.set $r01 (v128.const i64x2 0 0))
        (local.set $r23 (v128.const i64x2 0 0))
        (local.set $c (i32.const 0))
        (local.set $qp (local.get $q))
        (block $doneC
          (loop $loopC
            (br_if $doneC (i32.ge_u (local.get $c) (local.get $d4)))
            (local.set $y01 (f64x2.promote_low_f32x4
              (v128.load64_zero (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $y23 (f64x2.promote_low_f32x4
              (v128.load64_zero offset=8 (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $p01 (f64x2.add (local.get $p01) (f64x2.mul (v128.load (local.get $qp)) (local.get $y01))))
            (local.set $p23 (f64x2.add (local.get $p23) (f64x2.mul (v128.load offset=16 (local.get $qp)) (local.get $y23))))
            (local.set $r01 (f64x2.add (local.get $r01) (f64x2.mul (local.get $y01) (local.get $y01))))
            (local.set $r23 (f64x2.add (local.get $r23) (f64x2.mul (local.get $y23) (local.get $y23))))
            (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $loopC)))
        (local.set $p0 (f64x2.extract_lane 0 (local.get $p01)))
        (local.set $r0 (f64x2.extract_lane 0 (local.get $r01)))
        (block $doneT
          (loop $loopT
            (br_if $doneT (i32.ge_u (local.get $c) (local.get $d)))
            (local.set $y (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $p0 (f64.add (local.get $p0) (f64.mul (f64.load (local.get $qp)) (local.get $y))))
            (local.set $r0 (f64.add (local.get $r0) (f64.mul (local.get $y) (local.get $y))))
            (local.set $qp (i32.add (local.get $qp) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $loopT)))
        (f64.store (local.get $out)
          (f64.add (f64.add (f64.add (local.get $p0) (f64x2.extract_lane 1 (local.get $p01)))
            (f64x2.extract_lane 0 (local.get $p23))) (f64x2.extract_lane 1 (local.get $p23))))
        (f64.store offset=8 (local.get $out)
          (f64.add (f64.add (f64.add (local.get $r0) (f64x2.extract_lane 1 (local.get $r01)))
            (f64x2.extract_lane 0 (local.get $r23))) (f64x2.extract_lane 1 (local.get $r23))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $d) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))

  ;; As rowCos for euclidean: out[i] = sum (q_c - row_i,c)^2 in scanEuclidean's four sums.
  (func (export "rowEuc")
    (param $q i32) (param $data i32) (param $n i32) (param $d i32) (param $out i32)
    (local $i i32) (local $o i32) (local $c i32) (local $d4 i32) (local $qp i32)
    (local $s01 v128) (local $s23 v128) (local $x01 v128) (local $x23 v128)
    (local $s0 f64) (local $x f64)
    (local.set $d4 (i32.and (local.get $d) (i32.const -4)))
    (local.set $o (local.get $data))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s01 (v128.const i64x2 0 0))
        (local.set $s23 (v128.const i64x2 0 0))
        (local.set $c (i32.const 0))
        (local.set $qp (local.get $q))
        (block $doneC
          (loop $loopC
            (br_if $doneC (i32.ge_u (local.get $c) (local.get $d4)))
            (local.set $x01 (f64x2.sub (v128.load (local.get $qp)) (f64x2.promote_low_f32x4
              (v128.load64_zero (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $x23 (f64x2.sub (v128.load offset=16 (local.get $qp)) (f64x2.promote_low_f32x4
              (v128.load64_zero offset=8 (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x01) (local.get $x01))))
            (local.set $s23 (f64x2.add (local.get $s23) (f64x2.mul (local.get $x23) (local.get $x23))))
            (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $loopC)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
        (block $doneT
          (loop $loopT
            (br_if $doneT (i32.ge_u (local.get $c) (local.get $d)))
            (local.set $x (f64.sub (f64.load (local.get $qp))
              (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $x) (local.get $x))))
            (local.set $qp (i32.add (local.get $qp) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $loopT)))
        (f64.store (local.get $out)
          (f64.add (f64.add (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
            (f64x2.extract_lane 0 (local.get $s23))) (f64x2.extract_lane 1 (local.get $s23))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $d) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))
  ;; Compressed rows times a block (the PCA's products, ../matrix.ts): for r in [r0, r1) and
  ;; c < l (l even), out[(r - r0)*l + c] = sum over row r's non-zeros p, in order, of
  ;; val[p] * b[col[p]*l + c]: the JavaScript kernel's sums, column by column, bit for bit.
  ;; val: doubles; col, ptr: i32 (ptr absolute); b: rows x l doubles; 16, then 4, then 2 columns
  ;; per pass over a row's non-zeros.
  (func (export "csrTimes")
    (param $val i32) (param $col i32) (param $ptr i32) (param $r0 i32) (param $r1 i32)
    (param $b i32) (param $l i32) (param $out i32)
    (local $r i32) (local $p i32) (local $p0 i32) (local $p1 i32) (local $cb i32)
    (local $base i32) (local $go i32) (local $v v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $r (local.get $r0))
    (block $doneR
      (loop $loopR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $p0 (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $p1 (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $cb (i32.const 0))
        ;; 16 columns at a time
        (block $done16
          (loop $loop16
            (br_if $done16 (i32.gt_u (i32.add (local.get $cb) (i32.const 16)) (local.get $l)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $s1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0))
            (local.set $s3 (v128.const i64x2 0 0))
            (local.set $s4 (v128.const i64x2 0 0))
            (local.set $s5 (v128.const i64x2 0 0))
            (local.set $s6 (v128.const i64x2 0 0))
            (local.set $s7 (v128.const i64x2 0 0))
            (local.set $p (local.get $p0))
            (block $doneP16
              (loop $loopP16
                (br_if $doneP16 (i32.ge_u (local.get $p) (local.get $p1)))
                (local.set $v (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $base (i32.add (local.get $b)
                  (i32.shl
                    (i32.add
                      (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (local.get $l))
                      (local.get $cb))
                    (i32.const 3))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $base)))))
                (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $base)))))
                (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $base)))))
                (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $base)))))
                (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (local.get $v) (v128.load offset=80 (local.get $base)))))
                (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (local.get $v) (v128.load offset=96 (local.get $base)))))
                (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (local.get $v) (v128.load offset=112 (local.get $base)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $loopP16)))
            (local.set $go (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $l)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (v128.store offset=16 (local.get $go) (local.get $s1))
            (v128.store offset=32 (local.get $go) (local.get $s2))
            (v128.store offset=48 (local.get $go) (local.get $s3))
            (v128.store offset=64 (local.get $go) (local.get $s4))
            (v128.store offset=80 (local.get $go) (local.get $s5))
            (v128.store offset=96 (local.get $go) (local.get $s6))
            (v128.store offset=112 (local.get $go) (local.get $s7))
            (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
            (br $loop16)))
        ;; 4 columns at a time
        (block $done4
          (loop $loop4
            (br_if $done4 (i32.gt_u (i32.add (local.get $cb) (i32.const 4)) (local.get $l)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $s1 (v128.const i64x2 0 0))
            (local.set $p (local.get $p0))
            (block $doneP4
              (loop $loopP4
                (br_if $doneP4 (i32.ge_u (local.get $p) (local.get $p1)))
                (local.set $v (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $base (i32.add (local.get $b)
                  (i32.shl
                    (i32.add
                      (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (local.get $l))
                      (local.get $cb))
                    (i32.const 3))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $base)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $loopP4)))
            (local.set $go (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $l)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (v128.store offset=16 (local.get $go) (local.get $s1))
            (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
            (br $loop4)))
        ;; 2 columns at a time
        (block $done2
          (loop $loop2
            (br_if $done2 (i32.gt_u (i32.add (local.get $cb) (i32.const 2)) (local.get $l)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $p (local.get $p0))
            (block $doneP2
              (loop $loopP2
                (br_if $doneP2 (i32.ge_u (local.get $p) (local.get $p1)))
                (local.set $v (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))))
                (local.set $base (i32.add (local.get $b)
                  (i32.shl
                    (i32.add
                      (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (local.get $l))
                      (local.get $cb))
                    (i32.const 3))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $loopP2)))
            (local.set $go (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $l)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (local.set $cb (i32.add (local.get $cb) (i32.const 2)))
            (br $loop2)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $loopR))))

  ;; Dense f32 rows times a block: for r in [r0, r1) and c < l (l even), out[(r - r0)*l + c] =
  ;; sum over j < d, in order, of data[r*d + j] * b[j*l + c] (the JavaScript kernel's sums, bit
  ;; for bit). data: f32, row r at data + r*d*4; b: d x l doubles; 16, 4, then 2 columns a pass.
  (func (export "denseTimes")
    (param $data i32) (param $r0 i32) (param $r1 i32) (param $d i32)
    (param $b i32) (param $l i32) (param $out i32)
    (local $r i32) (local $j i32) (local $row i32) (local $cb i32) (local $lb i32)
    (local $base i32) (local $go i32) (local $v v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $lb (i32.shl (local.get $l) (i32.const 3)))
    (local.set $r (local.get $r0))
    (block $doneR
      (loop $loopR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $row (i32.add (local.get $data) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 2))))
        (local.set $cb (i32.const 0))
        (block $done16
          (loop $loop16
            (br_if $done16 (i32.gt_u (i32.add (local.get $cb) (i32.const 16)) (local.get $l)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $s1 (v128.const i64x2 0 0))
            (local.set $s2 (v128.const i64x2 0 0))
            (local.set $s3 (v128.const i64x2 0 0))
            (local.set $s4 (v128.const i64x2 0 0))
            (local.set $s5 (v128.const i64x2 0 0))
            (local.set $s6 (v128.const i64x2 0 0))
            (local.set $s7 (v128.const i64x2 0 0))
            (local.set $j (i32.const 0))
            (local.set $base (i32.add (local.get $b) (i32.shl (local.get $cb) (i32.const 3))))
            (block $doneJ16
              (loop $loopJ16
                (br_if $doneJ16 (i32.ge_u (local.get $j) (local.get $d)))
                (local.set $v (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $base)))))
                (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $base)))))
                (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $base)))))
                (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (local.get $v) (v128.load offset=64 (local.get $base)))))
                (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (local.get $v) (v128.load offset=80 (local.get $base)))))
                (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (local.get $v) (v128.load offset=96 (local.get $base)))))
                (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (local.get $v) (v128.load offset=112 (local.get $base)))))
                (local.set $base (i32.add (local.get $base) (local.get $lb)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $loopJ16)))
            (local.set $go (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $l)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (v128.store offset=16 (local.get $go) (local.get $s1))
            (v128.store offset=32 (local.get $go) (local.get $s2))
            (v128.store offset=48 (local.get $go) (local.get $s3))
            (v128.store offset=64 (local.get $go) (local.get $s4))
            (v128.store offset=80 (local.get $go) (local.get $s5))
            (v128.store offset=96 (local.get $go) (local.get $s6))
            (v128.store offset=112 (local.get $go) (local.get $s7))
            (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
            (br $loop16)))
        (block $done4
          (loop $loop4
            (br_if $done4 (i32.gt_u (i32.add (local.get $cb) (i32.const 4)) (local.get $l)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $s1 (v128.const i64x2 0 0))
            (local.set $j (i32.const 0))
            (local.set $base (i32.add (local.get $b) (i32.shl (local.get $cb) (i32.const 3))))
            (block $doneJ4
              (loop $loopJ4
                (br_if $doneJ4 (i32.ge_u (local.get $j) (local.get $d)))
                (local.set $v (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $base)))))
                (local.set $base (i32.add (local.get $base) (local.get $lb)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $loopJ4)))
            (local.set $go (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $l)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (v128.store offset=16 (local.get $go) (local.get $s1))
            (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
            (br $loop4)))
        (block $done2
          (loop $loop2
            (br_if $done2 (i32.gt_u (i32.add (local.get $cb) (i32.const 2)) (local.get $l)))
            (local.set $s0 (v128.const i64x2 0 0))
            (local.set $j (i32.const 0))
            (local.set $base (i32.add (local.get $b) (i32.shl (local.get $cb) (i32.const 3))))
            (block $doneJ2
              (loop $loopJ2
                (br_if $doneJ2 (i32.ge_u (local.get $j) (local.get $d)))
                (local.set $v (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $base)))))
                (local.set $base (i32.add (local.get $base) (local.get $lb)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $loopJ2)))
            (local.set $go (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (i32.sub (local.get $r) (local.get $r0)) (local.get $l)) (local.get $cb)) (i32.const 3))))
            (v128.store (local.get $go) (local.get $s0))
            (local.set $cb (i32.add (local.get $cb) (i32.const 2)))
            (br $loop2)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $loopR))))

  ;; out (d x l, l even) += X^T Q for rows [0, n) of dense f32 data (row i at data + i*d*4) and
  ;; Q (n x l doubles, row i at q + i*l*8): four rows at a time, each out pair gaining
  ;; ((x0 q0 + x1 q1) + x2 q2) + x3 q3 as the JavaScript kernel adds it, then single rows.
  (func (export "denseTransposeTimes")
    (param $data i32) (param $n i32) (param $d i32) (param $q i32) (param $l i32) (param $out i32)
    (local $i i32) (local $j i32) (local $c i32) (local $lb i32) (local $db i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $r0 i32) (local $q0 i32) (local $o i32) (local $qc i32)
    (local.set $lb (i32.shl (local.get $l) (i32.const 3)))
    (local.set $db (i32.shl (local.get $d) (i32.const 2)))
    (block $done4
      (loop $loop4
        (br_if $done4 (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $r0 (i32.add (local.get $data) (i32.mul (local.get $i) (local.get $db))))
        (local.set $q0 (i32.add (local.get $q) (i32.mul (local.get $i) (local.get $lb))))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $x0 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $r0) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $x1 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (i32.add (local.get $r0) (local.get $db)) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $x2 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (i32.add (local.get $r0) (i32.shl (local.get $db) (i32.const 1))) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $x3 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (i32.add (local.get $r0) (i32.mul (local.get $db) (i32.const 3))) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $o (i32.add (local.get $out) (i32.mul (local.get $j) (local.get $lb))))
            (local.set $qc (local.get $q0))
            (local.set $c (i32.const 0))
            (block $doneC
              (loop $loopC
                (br_if $doneC (i32.ge_u (local.get $c) (local.get $l)))
                (v128.store (local.get $o)
                  (f64x2.add (v128.load (local.get $o))
                    (f64x2.add
                      (f64x2.add
                        (f64x2.add
                          (f64x2.mul (local.get $x0) (v128.load (local.get $qc)))
                          (f64x2.mul (local.get $x1) (v128.load (i32.add (local.get $qc) (local.get $lb)))))
                        (f64x2.mul (local.get $x2) (v128.load (i32.add (local.get $qc) (i32.shl (local.get $lb) (i32.const 1))))))
                      (f64x2.mul (local.get $x3) (v128.load (i32.add (local.get $qc) (i32.mul (local.get $lb) (i32.const 3))))))))
                (local.set $o (i32.add (local.get $o) (i32.const 16)))
                (local.set $qc (i32.add (local.get $qc) (i32.const 16)))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (br $loopC)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loop4)))
    (block $done1
      (loop $loop1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r0 (i32.add (local.get $data) (i32.mul (local.get $i) (local.get $db))))
        (local.set $q0 (i32.add (local.get $q) (i32.mul (local.get $i) (local.get $lb))))
        (local.set $j (i32.const 0))
        (block $doneJ1
          (loop $loopJ1
            (br_if $doneJ1 (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $x0 (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $r0) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $o (i32.add (local.get $out) (i32.mul (local.get $j) (local.get $lb))))
            (local.set $qc (local.get $q0))
            (local.set $c (i32.const 0))
            (block $doneC1
              (loop $loopC1
                (br_if $doneC1 (i32.ge_u (local.get $c) (local.get $l)))
                (v128.store (local.get $o)
                  (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $x0) (v128.load (local.get $qc)))))
                (local.set $o (i32.add (local.get $o) (i32.const 16)))
                (local.set $qc (i32.add (local.get $qc) (i32.const 16)))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (br $loopC1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loop1))))
  ;; Barnes-Hut t-SNE's repulsion for a group of targets against one interaction list
  ;; (../tsne/repulsion.ts): for each target k < nt (t: nt x dim doubles), over list entries
  ;; e < m (m a multiple of 4; x, y[, z], c: m doubles each, padding entries with c = 0),
  ;; w = 1 / (1 + |t_k - p_e|^2), z_k = sum c_e w, f_k = sum c_e w^2 (t_k - p_e); out: nt x
  ;; (dim + 1) doubles (f, then z). Entries e = 0, 1, 2, 3 (mod 4) go to four running sums added as
  ;; (s0 + s2) + (s1 + s3), which the JavaScript kernel repeats: the same numbers bit for bit.
  (func (export "bhList2d")
    (param $x i32) (param $y i32) (param $c i32) (param $m i32) (param $t i32) (param $nt i32) (param $out i32)
    (local $k i32) (local $e i32) (local $o i32) (local $px v128) (local $dxA v128) (local $dxB v128) (local $fxA v128) (local $fxB v128) (local $py v128) (local $dyA v128) (local $dyB v128) (local $fyA v128) (local $fyB v128)
    (local $zA v128) (local $zB v128) (local $wA v128) (local $wB v128) (local $cwA v128) (local $cwB v128) (local $one v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (block $doneK
      (loop $loopK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $nt)))
        (local.set $px (f64x2.splat (f64.load offset=0 (local.get $t))))
        (local.set $fxA (v128.const i64x2 0 0))
        (local.set $fxB (v128.const i64x2 0 0))
        (local.set $py (f64x2.splat (f64.load offset=8 (local.get $t))))
        (local.set $fyA (v128.const i64x2 0 0))
        (local.set $fyB (v128.const i64x2 0 0))
        (local.set $zA (v128.const i64x2 0 0))
        (local.set $zB (v128.const i64x2 0 0))
        (local.set $e (i32.const 0))
        (block $doneE
          (loop $loopE
            (br_if $doneE (i32.ge_u (local.get $e) (local.get $m)))
            (local.set $o (i32.shl (local.get $e) (i32.const 3)))
            (local.set $dxA (f64x2.sub (local.get $px) (v128.load (i32.add (local.get $x) (local.get $o)))))
            (local.set $dxB (f64x2.sub (local.get $px) (v128.load offset=16 (i32.add (local.get $x) (local.get $o)))))
            (local.set $dyA (f64x2.sub (local.get $py) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $dyB (f64x2.sub (local.get $py) (v128.load offset=16 (i32.add (local.get $y) (local.get $o)))))
            (local.set $wA (f64x2.div (local.get $one) (f64x2.add (f64x2.add (local.get $one) (f64x2.mul (local.get $dxA) (local.get $dxA))) (f64x2.mul (local.get $dyA) (local.get $dyA)))))
            (local.set $wB (f64x2.div (local.get $one) (f64x2.add (f64x2.add (local.get $one) (f64x2.mul (local.get $dxB) (local.get $dxB))) (f64x2.mul (local.get $dyB) (local.get $dyB)))))
            (local.set $cwA (f64x2.mul (v128.load (i32.add (local.get $c) (local.get $o))) (local.get $wA)))
            (local.set $zA (f64x2.add (local.get $zA) (local.get $cwA)))
            (local.set $cwA (f64x2.mul (local.get $cwA) (local.get $wA)))
            (local.set $fxA (f64x2.add (local.get $fxA) (f64x2.mul (local.get $cwA) (local.get $dxA))))
            (local.set $fyA (f64x2.add (local.get $fyA) (f64x2.mul (local.get $cwA) (local.get $dyA))))
            (local.set $cwB (f64x2.mul (v128.load offset=16 (i32.add (local.get $c) (local.get $o))) (local.get $wB)))
            (local.set $zB (f64x2.add (local.get $zB) (local.get $cwB)))
            (local.set $cwB (f64x2.mul (local.get $cwB) (local.get $wB)))
            (local.set $fxB (f64x2.add (local.get $fxB) (f64x2.mul (local.get $cwB) (local.get $dxB))))
            (local.set $fyB (f64x2.add (local.get $fyB) (f64x2.mul (local.get $cwB) (local.get $dyB))))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $loopE)))
        (local.set $fxA (f64x2.add (local.get $fxA) (local.get $fxB)))
        (f64.store offset=0 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $fxA)) (f64x2.extract_lane 1 (local.get $fxA))))
        (local.set $fyA (f64x2.add (local.get $fyA) (local.get $fyB)))
        (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $fyA)) (f64x2.extract_lane 1 (local.get $fyA))))
        (local.set $zA (f64x2.add (local.get $zA) (local.get $zB)))
        (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $zA)) (f64x2.extract_lane 1 (local.get $zA))))
        (local.set $t (i32.add (local.get $t) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 24)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $loopK))))
  (func (export "bhList3d")
    (param $x i32) (param $y i32) (param $z i32) (param $c i32) (param $m i32) (param $t i32) (param $nt i32) (param $out i32)
    (local $k i32) (local $e i32) (local $o i32) (local $px v128) (local $dxA v128) (local $dxB v128) (local $fxA v128) (local $fxB v128) (local $py v128) (local $dyA v128) (local $dyB v128) (local $fyA v128) (local $fyB v128) (local $pz v128) (local $dzA v128) (local $dzB v128) (local $fzA v128) (local $fzB v128)
    (local $zA v128) (local $zB v128) (local $wA v128) (local $wB v128) (local $cwA v128) (local $cwB v128) (local $one v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (block $doneK
      (loop $loopK
        (br_if $doneK (i32.ge_u (local.get $k) (local.get $nt)))
        (local.set $px (f64x2.splat (f64.load offset=0 (local.get $t))))
        (local.set $fxA (v128.const i64x2 0 0))
        (local.set $fxB (v128.const i64x2 0 0))
        (local.set $py (f64x2.splat (f64.load offset=8 (local.get $t))))
        (local.set $fyA (v128.const i64x2 0 0))
        (local.set $fyB (v128.const i64x2 0 0))
        (local.set $pz (f64x2.splat (f64.load offset=16 (local.get $t))))
        (local.set $fzA (v128.const i64x2 0 0))
        (local.set $fzB (v128.const i64x2 0 0))
        (local.set $zA (v128.const i64x2 0 0))
        (local.set $zB (v128.const i64x2 0 0))
        (local.set $e (i32.const 0))
        (block $doneE
          (loop $loopE
            (br_if $doneE (i32.ge_u (local.get $e) (local.get $m)))
            (local.set $o (i32.shl (local.get $e) (i32.const 3)))
            (local.set $dxA (f64x2.sub (local.get $px) (v128.load (i32.add (local.get $x) (local.get $o)))))
            (local.set $dxB (f64x2.sub (local.get $px) (v128.load offset=16 (i32.add (local.get $x) (local.get $o)))))
            (local.set $dyA (f64x2.sub (local.get $py) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $dyB (f64x2.sub (local.get $py) (v128.load offset=16 (i32.add (local.get $y) (local.get $o)))))
            (local.set $dzA (f64x2.sub (local.get $pz) (v128.load (i32.add (local.get $z) (local.get $o)))))
            (local.set $dzB (f64x2.sub (local.get $pz) (v128.load offset=16 (i32.add (local.get $z) (local.get $o)))))
            (local.set $wA (f64x2.div (local.get $one) (f64x2.add (f64x2.add (f64x2.add (local.get $one) (f64x2.mul (local.get $dxA) (local.get $dxA))) (f64x2.mul (local.get $dyA) (local.get $dyA))) (f64x2.mul (local.get $dzA) (local.get $dzA)))))
            (local.set $wB (f64x2.div (local.get $one) (f64x2.add (f64x2.add (f64x2.add (local.get $one) (f64x2.mul (local.get $dxB) (local.get $dxB))) (f64x2.mul (local.get $dyB) (local.get $dyB))) (f64x2.mul (local.get $dzB) (local.get $dzB)))))
            (local.set $cwA (f64x2.mul (v128.load (i32.add (local.get $c) (local.get $o))) (local.get $wA)))
            (local.set $zA (f64x2.add (local.get $zA) (local.get $cwA)))
            (local.set $cwA (f64x2.mul (local.get $cwA) (local.get $wA)))
            (local.set $fxA (f64x2.add (local.get $fxA) (f64x2.mul (local.get $cwA) (local.get $dxA))))
            (local.set $fyA (f64x2.add (local.get $fyA) (f64x2.mul (local.get $cwA) (local.get $dyA))))
            (local.set $fzA (f64x2.add (local.get $fzA) (f64x2.mul (local.get $cwA) (local.get $dzA))))
            (local.set $cwB (f64x2.mul (v128.load offset=16 (i32.add (local.get $c) (local.get $o))) (local.get $wB)))
            (local.set $zB (f64x2.add (local.get $zB) (local.get $cwB)))
            (local.set $cwB (f64x2.mul (local.get $cwB) (local.get $wB)))
            (local.set $fxB (f64x2.add (local.get $fxB) (f64x2.mul (local.get $cwB) (local.get $dxB))))
            (local.set $fyB (f64x2.add (local.get $fyB) (f64x2.mul (local.get $cwB) (local.get $dyB))))
            (local.set $fzB (f64x2.add (local.get $fzB) (f64x2.mul (local.get $cwB) (local.get $dzB))))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $loopE)))
        (local.set $fxA (f64x2.add (local.get $fxA) (local.get $fxB)))
        (f64.store offset=0 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $fxA)) (f64x2.extract_lane 1 (local.get $fxA))))
        (local.set $fyA (f64x2.add (local.get $fyA) (local.get $fyB)))
        (f64.store offset=8 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $fyA)) (f64x2.extract_lane 1 (local.get $fyA))))
        (local.set $fzA (f64x2.add (local.get $fzA) (local.get $fzB)))
        (f64.store offset=16 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $fzA)) (f64x2.extract_lane 1 (local.get $fzA))))
        (local.set $zA (f64x2.add (local.get $zA) (local.get $zB)))
        (f64.store offset=24 (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $zA)) (f64x2.extract_lane 1 (local.get $zA))))
        (local.set $t (i32.add (local.get $t) (i32.const 24)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $loopK))))
  ;; t-SNE's attraction from P's upper triangle (../tsne/attraction.ts, the JavaScript
  ;; attractiveForcesUpper bit for bit): for i < n and each entry e of row i (ptr: n + 1 i32,
  ;; absolute; cols: i32; vals: f32), with d = y_i - y_j (y: n x dim doubles),
  ;; g = (scale * vals[e]) / (1 + d.d) d is added to out_i and taken from out_j (out: n x dim
  ;; doubles, zeroed by the caller). The x and y coordinates share one f64x2; z (3D) is scalar.
  (func (export "attract2d")
    (param $ptr i32) (param $cols i32) (param $vals i32) (param $n i32) (param $y i32) (param $scale f64) (param $out i32)
    (local $i i32) (local $e i32) (local $end i32) (local $o i32)
    (local $pi v128) (local $d v128) (local $dd v128) (local $f v128) (local $g v128) (local $pq f64)
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $pi (v128.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $f (v128.const i64x2 0 0))
        (local.set $e (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2)))))
        (block $doneE
          (loop $loopE
            (br_if $doneE (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $o (i32.shl (i32.load (i32.add (local.get $cols) (i32.shl (local.get $e) (i32.const 2)))) (i32.const 4)))
            (local.set $d (f64x2.sub (local.get $pi) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $dd (f64x2.mul (local.get $d) (local.get $d)))
            (local.set $pq (f64.div
              (f64.mul (local.get $scale) (f64.promote_f32 (f32.load (i32.add (local.get $vals) (i32.shl (local.get $e) (i32.const 2))))))
              (f64.add (f64.add (f64.const 1) (f64x2.extract_lane 0 (local.get $dd))) (f64x2.extract_lane 1 (local.get $dd)))))
            (local.set $g (f64x2.mul (f64x2.splat (local.get $pq)) (local.get $d)))
            (local.set $f (f64x2.add (local.get $f) (local.get $g)))
            (local.set $o (i32.add (local.get $out) (local.get $o)))
            (v128.store (local.get $o) (f64x2.sub (v128.load (local.get $o)) (local.get $g)))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $loopE)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4))))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $f)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))
  (func (export "attract3d")
    (param $ptr i32) (param $cols i32) (param $vals i32) (param $n i32) (param $y i32) (param $scale f64) (param $out i32)
    (local $i i32) (local $e i32) (local $end i32) (local $o i32) (local $oi i32)
    (local $pi v128) (local $d v128) (local $dd v128) (local $f v128) (local $g v128) (local $pq f64)
    (local $zi f64) (local $dz f64) (local $fz f64) (local $gz f64)
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $oi (i32.mul (local.get $i) (i32.const 24)))
        (local.set $pi (v128.load (i32.add (local.get $y) (local.get $oi))))
        (local.set $zi (f64.load offset=16 (i32.add (local.get $y) (local.get $oi))))
        (local.set $f (v128.const i64x2 0 0))
        (local.set $fz (f64.const 0))
        (local.set $e (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2)))))
        (block $doneE
          (loop $loopE
            (br_if $doneE (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $o (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $e) (i32.const 2)))) (i32.const 24)))
            (local.set $d (f64x2.sub (local.get $pi) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $dz (f64.sub (local.get $zi) (f64.load offset=16 (i32.add (local.get $y) (local.get $o)))))
            (local.set $dd (f64x2.mul (local.get $d) (local.get $d)))
            (local.set $pq (f64.div
              (f64.mul (local.get $scale) (f64.promote_f32 (f32.load (i32.add (local.get $vals) (i32.shl (local.get $e) (i32.const 2))))))
              (f64.add (f64.add (f64.add (f64.const 1) (f64x2.extract_lane 0 (local.get $dd))) (f64x2.extract_lane 1 (local.get $dd)))
                (f64.mul (local.get $dz) (local.get $dz)))))
            (local.set $g (f64x2.mul (f64x2.splat (local.get $pq)) (local.get $d)))
            (local.set $gz (f64.mul (local.get $pq) (local.get $dz)))
            (local.set $f (f64x2.add (local.get $f) (local.get $g)))
            (local.set $fz (f64.add (local.get $fz) (local.get $gz)))
            (local.set $o (i32.add (local.get $out) (local.get $o)))
            (v128.store (local.get $o) (f64x2.sub (v128.load (local.get $o)) (local.get $g)))
            (f64.store offset=16 (local.get $o) (f64.sub (f64.load offset=16 (local.get $o)) (local.get $gz)))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $loopE)))
        (local.set $o (i32.add (local.get $out) (local.get $oi)))
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $f)))
        (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o)) (local.get $fz)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))

  ;; One pass of classical Gram-Schmidt of column c (c >= 1) of the row-major rows x l block at $a
  ;; against columns 0..c-1 (../orthonormal.ts): dots[p] = sum over rows of A[i,p] A[i,c] (two p a
  ;; f64x2, each lane one running sum in row order), then A[i,c] -= sum over p of dots[p] A[i,p] for
  ;; two rows at a time (each lane one row's sum in p order). dots: c doubles at $dots.
  (func (export "orthoPass")
    (param $a i32) (param $rows i32) (param $l i32) (param $c i32) (param $dots i32)
    (local $row i32) (local $o i32) (local $end i32) (local $p i32) (local $pairs i32) (local $i i32)
    (local $x v128) (local $s v128) (local $d f64) (local $t f64)
    (local.set $row (i32.shl (local.get $l) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $c) (i32.const -2)))
    ;; dots = 0
    (local.set $p (i32.const 0))
    (block $done0 (loop $loop0
      (br_if $done0 (i32.ge_u (local.get $p) (local.get $c)))
      (f64.store (i32.add (local.get $dots) (i32.shl (local.get $p) (i32.const 3))) (f64.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $loop0)))
    (local.set $o (local.get $a))
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $rows) (local.get $row))))
    (block $done1 (loop $loop1
      (br_if $done1 (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $t (f64.load (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 3)))))
      (local.set $x (f64x2.splat (local.get $t)))
      (local.set $p (i32.const 0))
      (block $doneP (loop $loopP
        (br_if $doneP (i32.ge_u (local.get $p) (local.get $pairs)))
        (v128.store (i32.add (local.get $dots) (i32.shl (local.get $p) (i32.const 3)))
          (f64x2.add
            (v128.load (i32.add (local.get $dots) (i32.shl (local.get $p) (i32.const 3))))
            (f64x2.mul (v128.load (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 3)))) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $loopP)))
      (if (i32.lt_u (local.get $pairs) (local.get $c))
        (then
          (f64.store (i32.add (local.get $dots) (i32.shl (local.get $pairs) (i32.const 3)))
            (f64.add
              (f64.load (i32.add (local.get $dots) (i32.shl (local.get $pairs) (i32.const 3))))
              (f64.mul (f64.load (i32.add (local.get $o) (i32.shl (local.get $pairs) (i32.const 3)))) (local.get $t))))))
      (local.set $o (i32.add (local.get $o) (local.get $row)))
      (br $loop1)))
    ;; Two rows at a time: lane 0 row i, lane 1 row i + 1.
    (local.set $i (i32.const 0))
    (local.set $o (local.get $a))
    (block $done2 (loop $loop2
      (br_if $done2 (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $rows)))
      (local.set $s (v128.const i64x2 0 0))
      (local.set $p (i32.const 0))
      (block $doneQ (loop $loopQ
        (br_if $doneQ (i32.ge_u (local.get $p) (local.get $c)))
        (local.set $x (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 3)))))
          (f64.load (i32.add (i32.add (local.get $o) (local.get $row)) (i32.shl (local.get $p) (i32.const 3))))))
        (local.set $s (f64x2.add (local.get $s)
          (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $dots) (i32.shl (local.get $p) (i32.const 3))))) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $loopQ)))
      (f64.store (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 3)))
        (f64.sub (f64.load (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 3)))) (f64x2.extract_lane 0 (local.get $s))))
      (f64.store (i32.add (i32.add (local.get $o) (local.get $row)) (i32.shl (local.get $c) (i32.const 3)))
        (f64.sub (f64.load (i32.add (i32.add (local.get $o) (local.get $row)) (i32.shl (local.get $c) (i32.const 3)))) (f64x2.extract_lane 1 (local.get $s))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (local.set $o (i32.add (local.get $o) (i32.shl (local.get $row) (i32.const 1))))
      (br $loop2)))
    ;; The last row of an odd count.
    (if (i32.lt_u (local.get $i) (local.get $rows))
      (then
        (local.set $d (f64.const 0))
        (local.set $p (i32.const 0))
        (block $doneR (loop $loopR
          (br_if $doneR (i32.ge_u (local.get $p) (local.get $c)))
          (local.set $d (f64.add (local.get $d)
            (f64.mul (f64.load (i32.add (local.get $dots) (i32.shl (local.get $p) (i32.const 3))))
                     (f64.load (i32.add (local.get $o) (i32.shl (local.get $p) (i32.const 3)))))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $loopR)))
        (f64.store (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 3)))
          (f64.sub (f64.load (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 3)))) (local.get $d)))))))

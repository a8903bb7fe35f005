/**
 * The t-SNE gradient, Barnes-Hut style (van der Maaten 2014). Pure and worker-safe.
 *
 * With w_ij = 1 / (1 + |y_i - y_j|^2) (Student-t, one degree of freedom, in 2D and 3D alike),
 * Z = sum_{i != j} w_ij and q_ij = w_ij / Z, the gradient of KL(P || Q) is
 *
 *   dC/dy_i = 4 (F_attr_i - F_rep_i / Z),
 *   F_attr_i = sum_j p_ij w_ij (y_i - y_j)          over the sparse P: exact
 *   F_rep_i  = sum_j w_ij^2 (y_i - y_j)             over all j: Barnes-Hut
 *
 * Repulsion walks a SpaceTree once per leaf (./repulsion): a cell of side w whose centre of mass
 * lies at distance D from the leaf's points stands in for its N_cell points when w^2 < theta^2 D^2
 * (w the full side of the cell, as in the classic Barnes-Hut criterion and scikit-learn's; bhtsne
 * compares the half side, so its theta = 0.5 is looser). Leaves that fail the test are summed
 * point by point, so theta = 0 gives the exact O(N^2) sums.
 */
import type { SpaceTree } from './space-tree';
import { groupedRepulsion } from './repulsion';
import { attractiveForcesUpper, type Attraction } from './attraction';
import type { SparseAffinities } from './affinities';

/**
 * out (n x dim, original point order) = sum_{j != i} w_ij^2 (y_i - y_j), approximated with the
 * tree built over the current embedding (./repulsion: one walk per leaf). Returns the matching
 * estimate of Z = sum_{i != j} w_ij. With a range, only the points of leaves [fromLeaf, toLeaf) of
 * tree.leaves are done (their rows of out, their share of Z), and `zOut[s]` receives each one's
 * term of Z by tree position: each point's sum is independent of who computes it, which is what
 * lets a pool of threads split the leaves (./repulsion-pool) and, adding zOut up in tree order
 * afterwards, get exactly the single-thread forces and Z.
 */
export function repulsiveForces(tree: SpaceTree, theta: number, out: Float64Array, fromLeaf = 0, toLeaf = tree.leafCount, zOut?: Float64Array): number {
  return groupedRepulsion(tree, theta, out, fromLeaf, toLeaf, zOut);
}

/**
 * The repulsion of one iteration split over several threads (./repulsion-pool): start() hands Y
 * to the helpers, finish() does this thread's share with its tree, waits for the others, writes
 * every row of the scratch's repulsive forces and returns Z summed over the parts in a fixed order.
 */
export interface Repulsion {
  /**
   * finish() is given this thread's tree and the layout: the pool uses a tree a helper built and
   * shared meanwhile, or builds `tree` over Y itself; it returns Z and the tree used.
   */
  start(Y: Float64Array): { finish(tree: SpaceTree, Y: Float64Array): { Z: number; tree: SpaceTree } };
}

/** Scratch for tsneGradient, sized n x dim; `attraction` the SIMD kernel with its own memory, when the optimizer keeps one. */
export interface GradientScratch {
  attractive: Float64Array;
  repulsive: Float64Array;
  attraction?: Attraction;
}

export function gradientScratch(n: number, dim: 2 | 3, attraction?: Attraction): GradientScratch {
  return { attractive: new Float64Array(n * dim), repulsive: new Float64Array(n * dim), attraction };
}

/**
 * grad (n x dim) = dC/dY with P scaled by `exaggeration`, from P's upper triangle `U`
 * (see upperTriangle). Returns the Barnes-Hut estimate of Z and the space tree over Y it used:
 * `tree` rebuilt, or with a pool maybe the one a helper built (the same tree either way).
 */
export function tsneGradient(
  U: SparseAffinities,
  Y: Float64Array,
  dim: 2 | 3,
  tree: SpaceTree,
  theta: number,
  exaggeration: number,
  grad: Float64Array,
  scratch: GradientScratch,
  repulsion?: Repulsion,
): { Z: number; tree: SpaceTree } {
  const n = U.n;
  // The helpers of a pool build the tree and start on their share of the repulsion while this thread attracts.
  const pending = repulsion?.start(Y);
  if (scratch.attraction) scratch.attraction.run(U, Y, dim, exaggeration, scratch.attractive);
  else attractiveForcesUpper(U, Y, dim, exaggeration, scratch.attractive);
  let Z: number;
  let used = tree;
  if (pending) ({ Z, tree: used } = pending.finish(tree, Y));
  else {
    tree.build(Y, n);
    Z = repulsiveForces(tree, theta, scratch.repulsive);
  }
  const invZ = Z > 0 ? 1 / Z : 0;
  const att = scratch.attractive;
  const rep = scratch.repulsive;
  for (let e = 0; e < n * dim; e++) grad[e] = 4 * (att[e] - rep[e] * invZ);
  return { Z, tree: used };
}

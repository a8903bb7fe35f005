/** `embedding-projector/node`: logging embeddings from Node, as Comet's log_embedding does. */
export { logEmbedding, type LogEmbeddingOptions, type LogEmbeddingResult } from './log-embedding';
export { LogEmbeddingError } from './errors';
export { paletteBackground, type SpriteOptions } from './sprite';
export { LOCK_STALE_MS, withLockFile } from './lock';
export type { Cell, LabelsInput, VectorsInput } from './validate';
export type { ImageInput, Rgb } from '../../sprite/embedding-image';

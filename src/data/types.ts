/** Plain data shapes shared by parsers, workers and the store. No DOM, no React. */

/** A dense row-major matrix: row i is data[i*d .. (i+1)*d). */
export interface Tensor {
  data: Float32Array;
  n: number;
  d: number;
}

/** Vectors TSV result: TF treats a non-numeric first field as the row's label. */
export interface ParsedVectors extends Tensor {
  rowLabels: string[] | null;
}

export interface MetadataColumn {
  name: string;
  /** One cell per row; null where the cell was empty. */
  values: (string | null)[];
  /** True when every non-empty cell parses as a finite number. */
  numeric: boolean;
  /** How many different non-empty values the column holds (what colouring and labelling fit). */
  distinct: number;
}

export interface Metadata {
  columns: MetadataColumn[];
  rows: number;
}

export interface SpriteSpec {
  imagePath: string;
  singleImageDim: [number, number];
}

/** One embedding ("title") as declared by a config, paths not yet resolved. */
export interface EmbeddingSpec {
  tensorName: string;
  tensorShape: [number, number] | null;
  tensorPath: string;
  metadataPath: string | null;
  /** TF's bookmarks file (a JSON array of saved states). */
  bookmarksPath: string | null;
  sprite: SpriteSpec | null;
}

/** A group of titles: one config file, or one bare set of TSVs. */
export interface GroupSpec {
  name: string;
  /** Where relative paths resolve from (a URL, or a dropped file's relative path). */
  baseName: string;
  embeddings: EmbeddingSpec[];
}

/** Sprite atlas geometry: cells fill row-major from the top-left. */
export interface SpriteGeometry {
  cellWidth: number;
  cellHeight: number;
  columns: number;
  rows: number;
  imageWidth: number;
  imageHeight: number;
}

/** Bad input to logEmbedding: the CLI prints its message alone, without a stack. */
export class LogEmbeddingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogEmbeddingError';
  }
}

export const fail = (message: string): never => {
  throw new LogEmbeddingError(message);
};

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A user-facing problem with the command line: printed as one line, exit code 1. */
export class UsageError extends Error {}

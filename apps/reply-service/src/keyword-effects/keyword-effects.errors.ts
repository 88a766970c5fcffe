/** interception-service refused the effect for good (bad input): retrying cannot help. */
export class KeywordEffectRefusedError extends Error {}

/** Paths the tests read: the repo's samples and the shared corpus beside it. */
export const REPO = new URL('../../', import.meta.url);
export const SHARED = new URL('../shared/', REPO);
export const CASES = new URL('cases/', SHARED);
export const CORPUS = new URL('corpus/', SHARED);
export const SAMPLES = new URL('samples/', REPO);

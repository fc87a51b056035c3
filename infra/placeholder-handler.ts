// Stands in for a handler that is not in the work tree yet, so that the stack
// packages offline. A deploy refuses it (STRICT_HANDLERS=1 in npm run package).
export const handler = async (): Promise<never> => {
  throw new Error(
    'failed to run handler: placeholder deployed instead of code',
  );
};

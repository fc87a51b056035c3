import type { FhirResource } from '../../validation/types.ts';
import type { ParsedMessage } from '../parse.ts';

export function mapMessage(_message: ParsedMessage): FhirResource[] {
  return [];
}

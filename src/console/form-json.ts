import { ADMIN_JSON_DEPTH, invalidRequest } from '../admin/json-body.js';
import { isYrdxError } from '../errors/errors.js';
import { requestFault } from '../errors/request-text.js';
import { parseJsonText } from '../http/json-body.js';

/**
 * JSON typed or uploaded into a console form, parsed by the same reader as every JSON body (depth,
 * duplicate members, NUL and lone surrogates). With a `pointer`, a syntax fault is reported as a
 * `request_invalid` fault there; without, as `body_invalid`.
 */
export function formJson(text: string, pointer?: string, expected?: string): unknown {
  try {
    return parseJsonText(text, ADMIN_JSON_DEPTH);
  } catch (error) {
    if (pointer === undefined || !isYrdxError(error) || error.code !== 'body_invalid') throw error;
    throw invalidRequest(
      pointer,
      requestFault('formJson', {
        expected: expected ?? requestFault('expectedJson'),
        reason: error.params.reason ?? '',
      }),
    );
  }
}

import { YrdxError } from '../errors/errors.js';
import { requestFault } from '../errors/request-text.js';
import { clipText, isUnsafeText } from '../text/safe-text.js';
import { mediaType, readBody, readBodyBytes } from './body.js';

/** A submitted HTML form: each field's last value, text or an uploaded file. */
export type Form = Record<string, string | File>;

/**
 * A form body (`application/x-www-form-urlencoded` or `multipart/form-data`), read within `limit`
 * bytes by the one body reader and parsed from those bytes only. Field names and text values that
 * hold NUL or a lone surrogate are refused (`text_invalid`). Another media type is an empty form
 * (its body is not read).
 */
export async function readForm(request: Request, limit: number): Promise<Form> {
  const type = mediaType(request);
  const form: Form = Object.create(null) as Form;
  let entries: Iterable<[string, string | File]>;
  if (type === 'application/x-www-form-urlencoded') {
    entries = new URLSearchParams(await readBody(request, limit));
  } else if (type === 'multipart/form-data') {
    const bytes = await readBodyBytes(request, limit);
    try {
      // The platform's multipart parser, over bytes already bounded.
      const parsed = await new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
      }).formData();
      entries = parsed.entries() as Iterable<[string, string | File]>;
    } catch (error) {
      throw new YrdxError('form_invalid', { params: { reason: requestFault('multipart') }, cause: error });
    }
  } else {
    return form;
  }
  for (const [name, value] of entries) {
    if (isUnsafeText(name) || (typeof value === 'string' && isUnsafeText(value))) {
      const at = isUnsafeText(name) ? 'form field name' : `form field ${clipText(name, 40)}`;
      throw new YrdxError('text_invalid', { params: { at } });
    }
    form[name] = value;
  }
  return form;
}

import { storedReceiptLosses } from '../envelope/receipt.js';
import type { DeliveryView } from '../store/port.js';
import type { Language } from '../vocabulary/language.js';
import type { Dictionary } from './i18n/index.js';
import { when } from './present.js';

/**
 * Two cells of a delivery to a partner: why it is not (yet) delivered — the last error of a retry
 * or dead letter, or the partner's refusal with its problem code, saying whether the refusal came
 * in a signed receipt or as an HTTP problem — and the receipt the partner signed, if any (kept as
 * evidence whether it says accepted or rejected), with what it says the partner's local systems
 * could not carry.
 */
export function DeliveryOutcomeCells(props: {
  t: Dictionary;
  lang: Language;
  delivery: Pick<DeliveryView, 'lastError' | 'rejection' | 'receipt'>;
}) {
  const { t, delivery } = props;
  const { rejection, receipt } = delivery;
  const losses = receipt === undefined ? {} : (storedReceiptLosses(receipt.token).losses ?? {});
  return (
    <>
      <td>
        {delivery.lastError ??
          (rejection === undefined ? null : (
            <>
              {rejection.code ? <code>{rejection.code}</code> : null}{' '}
              <span class="hint">
                {receipt === undefined ? `HTTP ${rejection.status}` : t.rejectedByReceipt}
              </span>
            </>
          ))}
      </td>
      <td>
        {receipt ? (
          <>
            {when(receipt.receivedAt, props.lang)} <code>sha256:{receipt.sha256.slice(0, 16)}…</code>
            {Object.entries(losses).map(([system, pointers]) => (
              <div class="hint">
                {t.receiptLosses} <code>{system}</code>: {pointers.join(', ')}
              </div>
            ))}
          </>
        ) : null}
      </td>
    </>
  );
}

import type { InboundCaseFiles, OutboundCaseFiles } from '../admin/services/case-files.js';
import type { Metrics } from '../metrics/yrdx.js';
import type { FileFetchStatus, FileState, MessageFile } from '../store/port.js';
import type { Language } from '../vocabulary/language.js';
import { ActionButton, CodeCell, DataTable } from './components.js';
import type { Dictionary } from './i18n/index.js';
import { aside, city, clock, when, zoned } from './present.js';
import type { ConsoleSession } from './session.js';

/**
 * The case files of a message on its page: each file as the sender signed it (name, format, size,
 * digest), how far its transfer got on this node, what each recipient's files receipt says, a
 * download for the roles that may read evidence and a requeue for a transfer that died or refused a
 * file. And the node's case-file metrics for the overview.
 */

/** A size for people: bytes below 1 KB, else KB, MB, GB (1024-based, as file managers show them). */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** How much of a file is held, as a whole percentage (100 only when all of it is). */
export function percentHeld(bytes: number, size: number): number {
  if (size <= 0 || bytes >= size) return 100;
  return Math.min(99, Math.floor((bytes / size) * 100));
}

const FILE_STATE: Readonly<Record<FileState, keyof Dictionary>> = {
  pending: 'filePending',
  arrived: 'fileArrived',
  refused: 'fileRefused',
};

const TRANSFER: Readonly<Record<FileFetchStatus, keyof Dictionary>> = {
  queued: 'transferQueued',
  sending: 'transferSending',
  retry: 'transferRetry',
  done: 'transferDone',
  dead: 'transferDead',
};

export const fileStateWord = (t: Dictionary, state: string): string =>
  state in FILE_STATE ? t[FILE_STATE[state as FileState]] : state;

const stateClass = (state: string) => (state === 'arrived' ? 'ok' : state === 'refused' ? 'bad' : '');

const downloadHref = (id: string, index: number) =>
  `/console/messages/${encodeURIComponent(id)}/attachments/${index}`;

/** The cells every file has: index, name, format, size, digest. */
function FileCells(props: { file: MessageFile }) {
  const f = props.file;
  return (
    <>
      <td class="num">{f.index}</td>
      <td>{f.name}</td>
      <td>
        <code>{f.mediaType}</code>
      </td>
      <td class="num" title={`${f.size} B`}>
        {byteSize(f.size)}
      </td>
      <CodeCell>
        <span class="digest">{f.digest}</span>
      </CodeCell>
    </>
  );
}

function DownloadCell(props: { t: Dictionary; id: string; file: MessageFile; may: boolean }) {
  const { t, file } = props;
  if (!props.may || file.state !== 'arrived') return <td />;
  return (
    <td>
      <a href={downloadHref(props.id, file.index)} aria-label={`${t.downloadFileOf} ${file.name}`}>
        {t.downloadFile}
      </a>
    </td>
  );
}

/** The files of a message this node sent, and each recipient's files receipt. */
export function OutboundFiles(props: {
  t: Dictionary;
  lang: Language;
  id: string;
  files: OutboundCaseFiles;
  mayDownload: boolean;
}) {
  const { t, lang, id, files } = props;
  if (files.files.length === 0) return null;
  return (
    <section aria-labelledby="h-files-out">
      <h2 id="h-files-out">{t.caseFiles}</h2>
      <DataTable id="files-out" columns={[t.fileIndex, t.fileName, t.mediaType, t.fileSize, t.digest, '']}>
        {files.files.map((f) => (
          <tr>
            <FileCells file={f} />
            <DownloadCell t={t} id={id} file={f} may={props.mayDownload} />
          </tr>
        ))}
      </DataTable>
      {props.mayDownload ? <p class="hint">{t.filesDownloadHint}</p> : null}
      <h3>{t.filesReceipts}</h3>
      <DataTable
        id="files-receipts"
        columns={[t.recipient, t.status, t.caseFiles, zoned(t.receivedAt, lang)]}
      >
        {files.recipients.map((r) => (
          <tr>
            <td>{city(r.recipient, lang)}</td>
            <td class={stateClass(r.status)}>
              {r.status === 'pending'
                ? t.filesReceiptPending
                : r.status === 'arrived'
                  ? t.filesReceiptArrived
                  : t.filesReceiptRefused}
            </td>
            <td>
              <ul class="plain">
                {r.files.map((f) => (
                  <li>
                    {`#${f.index} `}
                    <span class={stateClass(f.status)}>{fileStateWord(t, f.status)}</span>
                    {f.reason ? (
                      <>
                        {' '}
                        <code>{f.reason}</code>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </td>
            <td>{clock(r.receivedAt)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** The files of a message received from a partner: state, progress, error; the transfer job. */
export function InboundFiles(props: {
  t: Dictionary;
  lang: Language;
  id: string;
  sender: string;
  files: InboundCaseFiles;
  session: ConsoleSession;
  mayDownload: boolean;
  mayRequeue: boolean;
}) {
  const { t, lang, id, files } = props;
  if (files.files.length === 0) return null;
  const job = files.transfer;
  return (
    <>
      <h3>{t.caseFiles}</h3>
      <DataTable
        columns={[
          t.fileIndex,
          t.fileName,
          t.mediaType,
          t.fileSize,
          t.digest,
          t.fileState,
          t.fileProgress,
          t.lastError,
          '',
        ]}
      >
        {files.files.map((f) => {
          const held = f.state === 'arrived' ? f.size : f.bytes;
          const percent = percentHeld(held, f.size);
          return (
            <tr data-state={f.state}>
              <FileCells file={f} />
              <td class={stateClass(f.state)}>{fileStateWord(t, f.state)}</td>
              <td class="nowrap">
                <progress
                  max={Math.max(f.size, 1)}
                  value={f.size === 0 ? 1 : held}
                  aria-label={`${t.fileProgress} ${f.name}`}
                >
                  {percent}%
                </progress>{' '}
                <span class="num">{percent}%</span>
                <span class="hint">
                  {' '}
                  {byteSize(held)} / {byteSize(f.size)}
                </span>
              </td>
              <td>{f.error ? <code>{f.error}</code> : ''}</td>
              <DownloadCell t={t} id={id} file={f} may={props.mayDownload} />
            </tr>
          );
        })}
      </DataTable>
      {job === undefined ? null : (
        <dl class="transfer">
          <dt>{t.transfer}</dt>
          <dd class={job.status === 'dead' ? 'bad' : job.status === 'done' ? 'ok' : ''}>
            {t[TRANSFER[job.status]] ?? job.status}
            {aside(`${t.attempts} ${job.attempts}`, lang)}
          </dd>
          {job.lastError ? (
            <>
              <dt>{t.lastError}</dt>
              <dd>
                <code>{job.lastError}</code>
              </dd>
            </>
          ) : null}
          {job.nextAttemptAt !== undefined && job.status !== 'done' && job.status !== 'dead' ? (
            <>
              <dt>{t.nextAttempt}</dt>
              <dd>{when(job.nextAttemptAt, lang)}</dd>
            </>
          ) : null}
        </dl>
      )}
      {files.requeueable && props.mayRequeue ? (
        <>
          <p class="hint">{t.transferRequeueHint}</p>
          <ActionButton
            session={props.session}
            action={`/console/messages/${encodeURIComponent(id)}/attachments/requeue`}
            label={t.requeueTransfer}
            ariaLabel={`${t.requeueTransfer} ${id}`}
          >
            <input type="hidden" name="sender" value={props.sender} />
          </ActionButton>
        </>
      ) : null}
      {props.mayDownload ? <p class="hint">{t.filesDownloadHint}</p> : null}
    </>
  );
}

/** The node's case-file counters (this process), for the overview. */
export function FileMetrics(props: { t: Dictionary; metrics: Metrics }) {
  const { t, metrics } = props;
  const bytes = (direction: string) => byteSize(metrics.fileBytes.get({ direction }));
  const transfers = (outcome: string) => metrics.fileTransfers.get({ outcome });
  const rows: [string, string, string?][] = [
    [t.bytesIn, bytes('in')],
    [t.bytesOut, bytes('out')],
    [t.bytesUpload, bytes('upload')],
    [t.bytesDownload, bytes('download')],
    [t.transfersSettled, String(transfers('settled'))],
    [t.transfersRetry, String(transfers('retry'))],
    [t.transfersDead, String(transfers('dead')), transfers('dead') > 0 ? 'num bad' : undefined],
    [t.transfersInFlight, String(metrics.fileTransfersInFlight.get({ direction: 'in' }))],
  ];
  return (
    <>
      <table id="file-metrics">
        <tbody>
          {rows.map(([label, value, cls]) => (
            <tr>
              <th scope="row">{label}</th>
              <td class={cls ?? 'num'}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">{t.fileMetricsHint}</p>
    </>
  );
}

import type { FileStore } from './ports/files.js';

/** TEMPORARY (issue 20, being written): the case-file role of an adapter that does not have it yet. */
export function filesPending(adapter: string): FileStore {
  const no = async (): Promise<never> => {
    throw new Error(`case files are not yet stored by the ${adapter} adapter`);
  };
  return {
    createUpload: no,
    getUpload: no,
    setUploadOffset: no,
    completeUpload: no,
    deleteUpload: no,
    expiredUploads: no,
    outboundFiles: async () => [],
    inboundFiles: async () => [],
    filesReceipts: async () => [],
    claimFileFetches: async () => [],
    recordFileProgress: no,
    settleFiles: no,
    extendFileFetch: no,
    completeFileFetch: no,
    requeueFileFetch: no,
    recordFilesReceipt: no,
  };
}

import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { ErrorCode } from '@cp/contracts';
import { ApiProblem } from './problems';

const FILE_PART = {
  type: 'string',
  format: 'binary',
  description: 'The bytes. The other fields may come before or after this part.',
} as const;

/** A streamed multipart upload: documents the form, and the answers only an upload gives. */
export function ApiUpload(fields: Record<string, { type: 'string'; description: string }>) {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({
      description:
        'multipart/form-data; the parts may come in any order, each field at most once. Fields before the ' +
        '`file` part are checked before the first byte is stored, so a refusal costs no upload (send them ' +
        'first for large files); fields after it are checked, with the same rules, once the bytes are stored, ' +
        'and when they fail nothing is kept: neither the bytes nor a record of the file.',
      schema: { type: 'object', required: ['file'], properties: { ...fields, file: FILE_PART } },
    }),
    ApiProblem(413, ErrorCode.FileTooLarge, "larger than the firm's limit (`maxUploadBytes`); nothing was kept"),
  );
}

/** A streamed download with its name and checksum. */
export function ApiDownload() {
  return applyDecorators(
    ApiProduces('application/octet-stream'),
    ApiResponse({
      status: 200,
      description:
        'The bytes, with Content-Disposition (original name, RFC 6266 `filename*`), the detected Content-Type, ' +
        'Content-Length, and the SHA-256 in `Repr-Digest: sha-256=:<base64>:` and `X-Checksum-SHA256: <hex>`.',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    }),
  );
}

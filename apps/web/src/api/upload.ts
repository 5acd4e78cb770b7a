// Uploads stream as multipart through the gateway. fetch() cannot report upload progress, so
// this one path uses XMLHttpRequest; the answer is the same FileModel the generated client types.
import { ApiError, type Problem, type Schemas } from './client';
import type { Session } from './session';

export type UploadedFile = Schemas['FileModel'];

export interface UploadOptions {
  /** Form fields, sent before the file part. */
  fields?: Record<string, string>;
  onProgress?: (fraction: number) => void;
}

async function send(url: string, form: FormData, token: string | null, onProgress?: (f: number) => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response as unknown });
    xhr.onerror = () => reject(new ApiError(0, { detail: 'The upload was interrupted; check your connection.' }));
    xhr.send(form);
  });
}

/** Sends `file` with its form fields; the answer is the route's own model (a FileModel by default). */
export async function uploadFile<T = UploadedFile>(
  session: Session,
  url: string,
  file: File,
  { fields = {}, onProgress }: UploadOptions = {},
): Promise<T> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file, file.name);
  let answer = await send(url, form, await session.token(), onProgress);
  if (answer.status === 401 && (await session.renew()))
    answer = await send(url, form, await session.token(), onProgress);
  if (answer.status < 200 || answer.status >= 300) throw new ApiError(answer.status, answer.body as Partial<Problem>);
  onProgress?.(1);
  return answer.body as T;
}

/** Downloads through the session (the bearer token cannot ride a plain link) and saves the file. */
export async function downloadFile(session: Session, url: string, name: string): Promise<void> {
  const get = async () => fetch(url, { headers: { Authorization: `Bearer ${(await session.token()) ?? ''}` } });
  let res = await get();
  if (res.status === 401 && (await session.renew())) res = await get();
  if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => undefined)) as Partial<Problem>);
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
